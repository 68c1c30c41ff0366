"""Decodes binary frames with numpy alone, from protocol/binary-frames.md (not the project's code).

Usage: python3 decode_binary_frames.py FRAME_FILE...
Prints one JSON list: each frame's message with every reference replaced by
the nested list of its values, plus the checks the layout promises.
"""
import json
import struct
import sys

import numpy

DTYPES = {
    "float32": "<f4", "float64": "<f8", "int8": "i1", "uint8": "u1", "int16": "<i2", "uint16": "<u2",
    "int32": "<i4", "uint32": "<u4", "int64": "<i8", "uint64": "<u8", "bool": "?",
}


def decode(message: bytes):
    magic, version, flags, json_length, body_offset = struct.unpack_from("<4sHHII", message, 0)
    assert magic == b"PLBF", magic
    assert version == 1 and flags == 0, (version, flags)
    assert body_offset == (16 + json_length + 7) // 8 * 8, body_offset
    header = json.loads(message[16:16 + json_length].decode("utf-8"))
    assert message[16 + json_length:body_offset] == b"\0" * (body_offset - 16 - json_length)
    ends = []

    def walk(x):
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            if "$ndarray" in x:
                start = body_offset + x["offset"]
                assert start % 8 == 0, start
                count = int(numpy.prod(x["shape"], dtype=numpy.int64))
                array = numpy.frombuffer(message, dtype=DTYPES[x["dtype"]], count=count, offset=start).reshape(x["shape"])
                ends.append(start + array.nbytes)
                return array.tolist()
            return {k: walk(v) for k, v in x.items()}
        return x

    value = walk(header)
    return {"message": value, "ends_at_last_array": max(ends, default=body_offset) == len(message)}


print(json.dumps([decode(open(path, "rb").read()) for path in sys.argv[1:]]))
