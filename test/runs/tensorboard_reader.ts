/**
 * An independent reader of TensorBoard event files for the tests: TFRecord
 * frames with their CRCs checked (CRC-32C computed bit by bit here, not with
 * the package the writer uses), and the Event/Summary protobuf fields decoded
 * from the wire format.
 */

/** CRC-32C, bit by bit (reflected Castagnoli polynomial 0x82F63B78). */
function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const masked = (data: Uint8Array) => {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
};

/** A decoded event. */
export interface ReadEvent {
  wall_time: number;
  step: number;
  file_version?: string;
  values: { tag: string; simple_value: number }[];
}

/** The fields of one protobuf message: [field number, wire type, value]. */
function fields(buf: Buffer): [number, number, Buffer | number][] {
  const out: [number, number, Buffer | number][] = [];
  let i = 0;
  const varint = () => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = buf[i++];
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return v;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push([field, wire, varint()]);
    else if (wire === 1) {
      out.push([field, wire, buf.readDoubleLE(i)]);
      i += 8;
    } else if (wire === 5) {
      out.push([field, wire, buf.readFloatLE(i)]);
      i += 4;
    } else if (wire === 2) {
      const n = varint();
      out.push([field, wire, buf.subarray(i, i + n)]);
      i += n;
    } else throw new Error(`wire type ${wire} not expected`);
  }
  return out;
}

/** Every event of a file, in order; throws on a bad CRC or a short record. */
export function readEventFile(file: Buffer): ReadEvent[] {
  const events: ReadEvent[] = [];
  let at = 0;
  while (at < file.length) {
    const lengthBytes = file.subarray(at, at + 8);
    if (file.readUInt32LE(at + 8) !== masked(lengthBytes)) throw new Error(`bad length CRC at ${at}`);
    const length = Number(file.readBigUInt64LE(at));
    const data = file.subarray(at + 12, at + 12 + length);
    if (data.length !== length || file.readUInt32LE(at + 12 + length) !== masked(data)) throw new Error(`bad data CRC at ${at}`);
    at += 16 + length;
    const event: ReadEvent = { wall_time: 0, step: 0, values: [] };
    for (const [field, , value] of fields(data)) {
      if (field === 1) event.wall_time = value as number;
      else if (field === 2) event.step = value as number;
      else if (field === 3) event.file_version = (value as Buffer).toString('utf8');
      else if (field === 5) {
        for (const [vf, , v] of fields(value as Buffer)) {
          if (vf !== 1) continue;
          const entry = { tag: '', simple_value: NaN };
          for (const [f, , x] of fields(v as Buffer)) {
            if (f === 1) entry.tag = (x as Buffer).toString('utf8');
            if (f === 2) entry.simple_value = x as number;
          }
          event.values.push(entry);
        }
      }
    }
    events.push(event);
  }
  return events;
}
