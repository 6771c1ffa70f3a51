"""A read-only string -> string hash table in one flat buffer (bytes or mmap).

Used for the on-disk cache of the compiled vocabulary: opening it costs nothing (the file is
mapped, not parsed), and a lookup is a CRC32, one or two probes and a slice. Layout (little endian):

    b"C2FH" | u32 nslots | nslots x u32 record offsets (0 = empty) | records
    record = u16 key length | u32 value length | key bytes | value bytes

Linear probing, load factor <= 0.5."""
from __future__ import annotations

import struct
from zlib import crc32

_HDR = struct.Struct("<4sI")
_REC = struct.Struct("<HI")
MAGIC = b"C2FH"


def build(items: dict[str, str]) -> bytes:
    n = max(8, 1 << (max(1, len(items)) * 2 - 1).bit_length())
    mask = n - 1
    slots = [0] * n
    base = _HDR.size + 4 * n
    chunks: list[bytes] = []
    pos = base
    for k, v in items.items():
        kb, vb = k.encode("utf-8"), v.encode("utf-8")
        if len(kb) > 0xFFFF:
            continue
        h = crc32(kb) & mask
        while slots[h]:
            h = (h + 1) & mask
        slots[h] = pos
        rec = _REC.pack(len(kb), len(vb)) + kb + vb
        chunks.append(rec)
        pos += len(rec)
    return _HDR.pack(MAGIC, n) + struct.pack(f"<{n}I", *slots) + b"".join(chunks)


class HashTable:
    __slots__ = ("buf", "slots", "mask", "size")

    def __init__(self, buf, offset: int = 0, length: int | None = None):
        mv = memoryview(buf)[offset: offset + length if length is not None else None]
        magic, n = _HDR.unpack_from(mv, 0)
        if magic != MAGIC:
            raise ValueError("not a terminology hash table")
        self.buf = mv
        self.slots = mv[_HDR.size: _HDR.size + 4 * n].cast("I")
        self.mask = n - 1
        self.size = len(mv)

    def get(self, key: str) -> str | None:
        kb = key.encode("utf-8")
        mask, slots, buf = self.mask, self.slots, self.buf
        h = crc32(kb) & mask
        kl = len(kb)
        while True:
            off = slots[h]
            if not off:
                return None
            klen, vlen = _REC.unpack_from(buf, off)
            if klen == kl and buf[off + 6: off + 6 + klen] == kb:
                start = off + 6 + klen
                return bytes(buf[start: start + vlen]).decode("utf-8")
            h = (h + 1) & mask

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def items(self):
        buf = self.buf
        for off in self.slots:
            if off:
                klen, vlen = _REC.unpack_from(buf, off)
                k = bytes(buf[off + 6: off + 6 + klen]).decode("utf-8")
                v = bytes(buf[off + 6 + klen: off + 6 + klen + vlen]).decode("utf-8")
                yield k, v
