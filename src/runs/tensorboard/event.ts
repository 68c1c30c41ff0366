/**
 * TensorBoard's `Event` protocol buffer, the few fields scalars need, encoded
 * by hand (field numbers from tensorflow/core/util/event.proto and
 * summary.proto): Event{wall_time = 1 (double), step = 2 (int64),
 * file_version = 3 (string), summary = 5}; Summary{value = 1 (repeated)};
 * Summary.Value{tag = 1 (string), simple_value = 2 (float)}.
 */

/** A protobuf varint (non-negative integers below 2^53). */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = Math.floor(n);
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A length-delimited field: key, length, bytes. */
function lengthDelimited(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
}

/** Event.wall_time (seconds since the epoch) and Event.step. */
function eventHead(wallTime: number, step: number): Buffer {
  const time = Buffer.alloc(9);
  time[0] = (1 << 3) | 1;
  time.writeDoubleLE(wallTime, 1);
  return Buffer.concat([time, Buffer.from([(2 << 3) | 0, ...varint(Math.max(0, step))])]);
}

/** The event every file opens with, naming the format version. */
export function fileVersionEvent(wallTime: number): Buffer {
  return Buffer.concat([eventHead(wallTime, 0), lengthDelimited(3, Buffer.from('brain.Event:2', 'utf8'))]);
}

/** An event holding scalar summaries (`simple_value`, stored as float32) at one step. */
export function scalarsEvent(wallTime: number, step: number, scalars: readonly [tag: string, value: number][]): Buffer {
  const values = scalars.map(([tag, value]) => {
    const number = Buffer.alloc(5);
    number[0] = (2 << 3) | 5;
    number.writeFloatLE(value, 1);
    return lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.from(tag, 'utf8')), number]));
  });
  return Buffer.concat([eventHead(wallTime, step), lengthDelimited(5, Buffer.concat(values))]);
}
