"""A tiny, real, playable MP4 written by hand: grey H.264 frames of a given size and length.

What the fake service delivers when no ffmpeg is around (``moviekit-json2video[preview]``
not installed): not a stub, but a file any player opens, of the movie's
width, height, frame rate and duration, usually a few kilobytes.

How it stays tiny: the first frame is an H.264 IDR picture in which every
macroblock is ``I_16x16`` with DC prediction and no residual (one byte per
macroblock: with no neighbours the prediction is mid-grey, and each next block
predicts the same grey), and every later frame is a P picture that skips all
its macroblocks (a handful of bytes). Constrained Baseline profile, CAVLC,
one slice per picture. The boxes are ``ftyp``, ``moov`` (before the data, so
the file plays while it downloads) and ``mdat``.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable

__all__ = ["grey_mp4"]


class _Bits:
    """An H.264 RBSP bit writer (fixed-width and Exp-Golomb codes), kept as a '0'/'1' string."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def u(self, width: int, value: int) -> None:
        self._parts.append(format(value, f"0{width}b"))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def repeat(self, times: int, build: Callable[[_Bits], None]) -> None:
        """The bits ``build`` writes, ``times`` over (one macroblock, for a whole picture)."""
        once = _Bits()
        build(once)
        self._parts.append("".join(once._parts) * times)

    def rbsp(self) -> bytes:
        """The bits with the stop bit and zero padding to a byte boundary."""
        bits = "".join(self._parts) + "1"
        bits += "0" * (-len(bits) % 8)
        return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """A NAL unit (header + RBSP with emulation prevention), without a start code."""
    out = bytearray([(ref_idc << 5) | kind])
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _parameter_sets(width: int, height: int) -> tuple[bytes, bytes, int]:
    mbs_w, mbs_h = math.ceil(width / 16), math.ceil(height / 16)
    level = 40 if mbs_w * mbs_h <= 8192 else 51
    sps = _Bits()
    sps.u(8, 66)  # Baseline
    sps.u(8, 0b11000000)  # constraint_set0/1: Constrained Baseline
    sps.u(8, level)
    sps.ue(0)  # seq_parameter_set_id
    sps.ue(0)  # log2_max_frame_num_minus4: frame_num has 4 bits
    sps.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    sps.ue(1)  # max_num_ref_frames
    sps.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    sps.ue(mbs_w - 1)
    sps.ue(mbs_h - 1)
    sps.u(1, 1)  # frame_mbs_only_flag
    sps.u(1, 1)  # direct_8x8_inference_flag
    crop_right, crop_bottom = (mbs_w * 16 - width) // 2, (mbs_h * 16 - height) // 2
    if crop_right or crop_bottom:
        sps.u(1, 1)
        for offset in (0, crop_right, 0, crop_bottom):  # left, right, top, bottom (2-px units)
            sps.ue(offset)
    else:
        sps.u(1, 0)
    sps.u(1, 0)  # vui_parameters_present_flag
    pps = _Bits()
    pps.ue(0)  # pic_parameter_set_id
    pps.ue(0)  # seq_parameter_set_id
    pps.u(1, 0)  # entropy_coding_mode_flag: CAVLC
    pps.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
    pps.ue(0)  # num_slice_groups_minus1
    pps.ue(0)  # num_ref_idx_l0_default_active_minus1
    pps.ue(0)  # num_ref_idx_l1_default_active_minus1
    pps.u(1, 0)  # weighted_pred_flag
    pps.u(2, 0)  # weighted_bipred_idc
    pps.se(0)  # pic_init_qp_minus26
    pps.se(0)  # pic_init_qs_minus26
    pps.se(0)  # chroma_qp_index_offset
    pps.u(1, 0)  # deblocking_filter_control_present_flag
    pps.u(1, 0)  # constrained_intra_pred_flag
    pps.u(1, 0)  # redundant_pic_cnt_present_flag
    return _nal(3, 7, sps.rbsp()), _nal(3, 8, pps.rbsp()), level


def _grey_macroblock(bits: _Bits) -> None:
    bits.ue(3)  # mb_type I_16x16_2_0_0: DC prediction, no coded blocks
    bits.ue(0)  # intra_chroma_pred_mode: DC
    bits.se(0)  # mb_qp_delta
    bits.u(1, 1)  # coeff_token of the luma DC block: no coefficients


@functools.lru_cache(maxsize=32)
def _idr(macroblocks: int) -> bytes:
    bits = _Bits()
    bits.ue(0)  # first_mb_in_slice
    bits.ue(7)  # slice_type: I (every slice of the picture)
    bits.ue(0)  # pic_parameter_set_id
    bits.u(4, 0)  # frame_num
    bits.ue(0)  # idr_pic_id
    bits.u(1, 0)  # no_output_of_prior_pics_flag
    bits.u(1, 0)  # long_term_reference_flag
    bits.se(0)  # slice_qp_delta
    bits.repeat(macroblocks, _grey_macroblock)
    return _nal(3, 5, bits.rbsp())


@functools.lru_cache(maxsize=512)
def _skipped(macroblocks: int, frame_num: int) -> bytes:
    bits = _Bits()
    bits.ue(0)  # first_mb_in_slice
    bits.ue(5)  # slice_type: P (every slice of the picture)
    bits.ue(0)  # pic_parameter_set_id
    bits.u(4, frame_num % 16)
    bits.u(1, 0)  # num_ref_idx_active_override_flag
    bits.u(1, 0)  # ref_pic_list_modification_flag_l0
    bits.u(1, 0)  # adaptive_ref_pic_marking_mode_flag
    bits.se(0)  # slice_qp_delta
    bits.ue(macroblocks)  # mb_skip_run: the whole picture repeats the previous one
    return _nal(2, 1, bits.rbsp())


def _box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, version_flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", version_flags), *parts)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def grey_mp4(seconds: float, width: int, height: int, fps: int = 25) -> bytes:
    """A playable MP4 of mid-grey video: ``seconds`` long, ``width`` x ``height``, ``fps``."""
    width, height = max(16, width + width % 2), max(16, height + height % 2)
    fps = max(1, min(int(fps), 120))
    frames = max(1, round(seconds * fps))
    sps, pps, level = _parameter_sets(width, height)
    macroblocks = math.ceil(width / 16) * math.ceil(height / 16)
    samples = [_idr(macroblocks)] + [_skipped(macroblocks, n % 16) for n in range(1, frames)]
    samples = [struct.pack(">I", len(s)) + s for s in samples]  # 4-byte length prefixes
    timescale = fps * 512
    duration_ms = round(frames * 1000 / fps)

    def moov(data_offset: int) -> bytes:
        avcc = _box(
            b"avcC",
            bytes([1, 66, 0b11000000, level, 0xFF, 0xE1]),
            struct.pack(">H", len(sps)),
            sps,
            b"\x01",
            struct.pack(">H", len(pps)),
            pps,
        )
        avc1 = _box(
            b"avc1",
            b"\x00" * 6,
            struct.pack(">H", 1),  # data_reference_index
            b"\x00" * 16,
            struct.pack(">HHII", width, height, 0x480000, 0x480000),
            struct.pack(">IH", 0, 1),  # reserved, frame_count
            bytes([7]) + b"moviekit".ljust(31, b"\x00"),  # compressor name
            struct.pack(">Hh", 0x18, -1),
            avcc,
        )
        stbl = _box(
            b"stbl",
            _full_box(b"stsd", 0, struct.pack(">I", 1), avc1),
            _full_box(b"stts", 0, struct.pack(">III", 1, frames, 512)),
            _full_box(b"stss", 0, struct.pack(">II", 1, 1)),
            _full_box(b"stsc", 0, struct.pack(">IIII", 1, 1, frames, 1)),
            _full_box(
                b"stsz",
                0,
                struct.pack(">II", 0, frames),
                b"".join(struct.pack(">I", len(s)) for s in samples),
            ),
            _full_box(b"stco", 0, struct.pack(">II", 1, data_offset)),
        )
        dinf = _box(b"dinf", _full_box(b"dref", 0, struct.pack(">I", 1), _full_box(b"url ", 1)))
        minf = _box(b"minf", _full_box(b"vmhd", 1, struct.pack(">HHHH", 0, 0, 0, 0)), dinf, stbl)
        mdia = _box(
            b"mdia",
            _full_box(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, timescale, frames * 512, 0x55C4, 0)),
            _full_box(b"hdlr", 0, struct.pack(">I", 0), b"vide", b"\x00" * 12, b"Video\x00"),
            minf,
        )
        tkhd = _full_box(
            b"tkhd",
            3,  # enabled, in movie
            struct.pack(">IIIII", 0, 0, 1, 0, duration_ms),
            b"\x00" * 8,
            struct.pack(">hhhH", 0, 0, 0, 0),
            _MATRIX,
            struct.pack(">II", width << 16, height << 16),
        )
        mvhd = _full_box(
            b"mvhd",
            0,
            struct.pack(">IIII", 0, 0, 1000, duration_ms),
            struct.pack(">IH", 0x10000, 0x100),
            b"\x00" * 10,
            _MATRIX,
            b"\x00" * 24,
            struct.pack(">I", 2),  # next_track_ID
        )
        return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    head = len(ftyp) + len(moov(0)) + 8  # the stco offset is fixed-width: moov's size holds
    return ftyp + moov(head) + _box(b"mdat", *samples)
