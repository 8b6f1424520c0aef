import { toModelPixels } from '../../../src/browser.js';
import { errorBox, h, section } from '../dom.js';
import { loadRunModel, predict, type LoadedModel } from '../model-loader.js';
import { link } from './home.js';

const PAD = 280;

/** Where the strokes are, scaled into a 20 x 20 box centred in the model's input, as MNIST's digits are. */
function drawnPixels(pad: HTMLCanvasElement, h: number, w: number, c: number): Uint8Array | undefined {
  const ctx = pad.getContext('2d')!;
  const { data } = ctx.getImageData(0, 0, pad.width, pad.height);
  let [x0, y0, x1, y1] = [pad.width, pad.height, -1, -1];
  for (let y = 0; y < pad.height; y++)
    for (let x = 0; x < pad.width; x++)
      if (data[(y * pad.width + x) * 4]! > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return undefined;
  const side = Math.max(x1 - x0, y1 - y0) + 1;
  const box = Math.round(Math.min(h, w) * (20 / 28));
  const small = document.createElement('canvas');
  small.width = w;
  small.height = h;
  const s = small.getContext('2d')!;
  s.fillStyle = 'black';
  s.fillRect(0, 0, w, h);
  s.imageSmoothingQuality = 'high';
  const scale = box / side;
  s.drawImage(
    pad,
    x0 - (side - (x1 - x0 + 1)) / 2,
    y0 - (side - (y1 - y0 + 1)) / 2,
    side,
    side,
    (w - side * scale) / 2,
    (h - side * scale) / 2,
    side * scale,
    side * scale,
  );
  return toModelPixels(s.getImageData(0, 0, w, h).data, w, h, h, w, c);
}

/** An image file read at its own size and reduced exactly as `randwire predict` reduces a PNG. */
async function filePixels(file: Blob, h: number, w: number, c: number, invert: boolean): Promise<{ pixels: Uint8Array; preview: HTMLCanvasElement }> {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { colorSpace: 'srgb' })!;
  ctx.drawImage(bitmap, 0, 0);
  return { pixels: toModelPixels(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, bitmap.width, bitmap.height, h, w, c, invert), preview: canvas };
}

function bars(probs: Float32Array): HTMLElement {
  const best = probs.indexOf(Math.max(...probs));
  return h(
    'div',
    { class: 'probs', id: 'probabilities', 'data-probabilities': JSON.stringify(Array.from(probs)), 'data-prediction': best },
    Array.from(probs).map((p, k) =>
      h(
        'div',
        { class: k === best ? 'row best' : 'row' },
        h('span', { class: 'k' }, k),
        h('span', { class: 'bar' }, h('i', { style: `width:${(p * 100).toFixed(1)}%` })),
        h('span', { class: 'p' }, `${(p * 100).toFixed(1)} %`),
      ),
    ),
  );
}

/** Draw a digit or drop an image; a trained run's model says what it sees, computed in the page with TF.js. */
export async function playgroundView(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const path = params.get('path') ?? '';
  const m: LoadedModel = await loadRunModel(path);
  const [ih, iw, ic] = m.pre.inputShape;
  const result = h('div', { class: 'result' }, h('p', { class: 'muted' }, 'Draw a digit on the black pad, or drop an image.'));
  const show = (pixels: Uint8Array | undefined): void => {
    try {
      result.replaceChildren(pixels ? bars(predict(m, pixels)) : h('p', { class: 'muted' }, 'The pad is empty.'));
    } catch (e) {
      // Outputs that are not finite for this image: no probabilities, one line instead.
      result.replaceChildren(errorBox((e as Error).message));
    }
  };
  const pad = h('canvas', { width: PAD, height: PAD, class: 'pad', 'aria-label': 'drawing pad' });
  const ctx = pad.getContext('2d')!;
  const clear = (): void => {
    ctx.fillStyle = 'black';
    ctx.fillRect(0, 0, PAD, PAD);
  };
  clear();
  let drawing = false;
  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [((e.clientX - r.left) * PAD) / r.width, ((e.clientY - r.top) * PAD) / r.height];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    ctx.beginPath();
    ctx.moveTo(...at(e));
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    Object.assign(ctx, { strokeStyle: 'white', lineWidth: 22, lineCap: 'round', lineJoin: 'round' });
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const end = (): void => {
    if (!drawing) return;
    drawing = false;
    show(drawnPixels(pad, ih, iw, ic));
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointerleave', end);
  const invert = h('input', { type: 'checkbox', id: 'invert' });
  const preview = h('div', { class: 'preview' });
  const takeFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      const { pixels, preview: canvas } = await filePixels(file, ih, iw, ic, invert.checked);
      preview.replaceChildren(canvas);
      show(pixels);
    } catch {
      result.replaceChildren(errorBox(`${file.name} could not be read as an image`));
    }
  };
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/*',
    id: 'image-file',
    onchange: (e: Event) => void takeFile((e.target as HTMLInputElement).files?.[0]),
  });
  const drop = h('div', { class: 'drop' }, 'drop an image here, or ', fileInput, h('label', {}, invert, ' dark digit on a light background'), preview);
  drop.addEventListener('dragover', (e) => e.preventDefault());
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    void takeFile(e.dataTransfer?.files[0]);
  });
  root.append(
    h('h1', {}, 'Try the model'),
    h(
      'p',
      {},
      'Model of ',
      h('a', { href: link('run', path) }, path || 'this run'),
      `: input ${ih}×${iw}×${ic}, normalised with mean ${m.pre.mean.toFixed(4)} and std ${m.pre.std.toFixed(4)}, run in this page by TF.js.`,
    ),
    h(
      'div',
      { class: 'play' },
      section('Draw', pad, h('p', {}, h('button', { onclick: () => (clear(), show(undefined)) }, 'clear'))),
      section('Or an image', drop),
      section('Probabilities', result),
    ),
  );
  return () => m.model.dispose();
}
