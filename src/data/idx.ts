import { RandwireError } from '../core/errors.js';

/** An unsigned-byte IDX array (the MNIST file format): dimensions and the raw values. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/**
 * Parse IDX bytes (already gunzipped), checking the magic number, the dimension count and that
 * the size matches the header exactly: a truncated or padded file is an error, never silently cut.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data', dimensions?: readonly number[]): IdxArray {
  const fail = (msg: string): never => {
    throw new RandwireError('data', `${source}: ${msg}`);
  };
  if (bytes.length < 4) fail(`too short to be an IDX file (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`wrong magic number 0x${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')} (an IDX file starts with 0x0000)`);
  }
  const type = bytes[2]!;
  if (type !== TYPE_UBYTE) fail(`element type ${TYPE_NAMES[type] ?? `0x${type.toString(16)}`} is not supported (only unsigned bytes, 0x08)`);
  const ndim = bytes[3]!;
  if (ndim < 1 || ndim > 4) fail(`unsupported number of dimensions ${ndim}`);
  // Checked before the size: a labels file given as images would otherwise be "unexpected bytes".
  if (dimensions && !dimensions.includes(ndim)) {
    const magic = (d: number) => `0x000008${d.toString(16).padStart(2, '0')}`;
    const kind = ndim === 1 ? 'a labels file' : `${ndim} dimensions`;
    fail(`wrong magic number ${magic(ndim)} (${kind}); expected ${dimensions.map(magic).join(' or ')} (${dimensions[0] === 1 ? 'labels' : 'images'})`);
  }
  const header = 4 + 4 * ndim;
  if (bytes.length < header) fail(`truncated header (${bytes.length} bytes, need ${header})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expected) fail(`truncated: header says ${dims.join('x')} (${expected} bytes) but the file has ${bytes.length}`);
  if (bytes.length > expected) fail(`${bytes.length - expected} unexpected bytes after the ${dims.join('x')} data`);
  return { dims, data: bytes.subarray(header) };
}

/** Encode an IDX ubyte array (used to write test fixtures and exported data sets). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  out[2] = TYPE_UBYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}
