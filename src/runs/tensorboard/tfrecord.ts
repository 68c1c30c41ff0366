/**
 * TFRecord framing, the container of TensorBoard's event files: each record
 * is its length (uint64, little-endian), the masked CRC-32C of those 8 bytes,
 * the data, and the masked CRC-32C of the data. CRC-32C is the Castagnoli
 * polynomial (0x1EDC6F41, reflected 0x82F63B78); the mask rotates the CRC
 * right by 15 bits and adds 0xA282EAD8, as TensorFlow's `crc32c::Mask` does.
 */
import { crc32c } from '@aws-crypto/crc32c';

const MASK_DELTA = 0xa282ead8;

/** The masked CRC-32C of `data`, as TFRecord stores it. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** One record framed for a TFRecord file. */
export function tfrecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}
