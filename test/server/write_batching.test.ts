import { Duplex, Writable } from 'node:stream';
import { batchWrites } from '../../src/server/write_batching';

/** A stream that records how many chunks each write to the system would carry. */
function recorder(): { stream: Duplex; writes: number[] } {
  const writes: number[] = [];
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      writes.push(1);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.length);
      done();
    },
  });
  return { stream: stream as unknown as Duplex, writes };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('replies to messages read together', () => {
  it('leave in one write at the end of the tick', async () => {
    const { stream, writes } = recorder();
    const hold = batchWrites(stream);
    for (const reply of ['a', 'b', 'c']) {
      hold();
      stream.write(reply);
    }
    expect(writes).toEqual([]);
    await nextTick();
    expect(writes).toEqual([3]);
  });

  it('a lone reply still leaves in the tick it was written in, and later ticks write on their own', async () => {
    const { stream, writes } = recorder();
    const hold = batchWrites(stream);
    hold();
    stream.write('a');
    await nextTick();
    hold();
    stream.write('b');
    hold();
    stream.write('c');
    await nextTick();
    expect(writes).toEqual([1, 2]);
  });

  it('an ended stream is not corked again', async () => {
    const { stream, writes } = recorder();
    const hold = batchWrites(stream);
    stream.end('last');
    hold();
    expect(stream.writableCorked).toBe(0);
    await nextTick();
    expect(writes).toEqual([1]);
  });
});
