#pragma once
// The int4 weight layout. Symmetric groups of kGroup = 32 consecutive values of a row, one f16
// scale d each: w ≈ d · (q − 8), q in 0..15, d = m / −8 where m is the group's value of largest
// magnitude (so m itself is exact and all 16 levels are used; a value of the opposite sign and the
// same magnitude clamps to q = 15, off by at most |d|; everything else is within |d|/2).
//
// Why 32, symmetric, f16: the bytes per weight are the decode speed, and at the same bytes the
// shorter symmetric group is more accurate. Relative RMS error |deq − w| / |w|, measured with
// ATen (f16 scales and minima as stored):
//                                   32 sym   64 sym   128 sym   32 asym   64 asym
//   bits per weight                  4.5      4.25     4.125     5.0       4.5
//   Gaussian 2048×2048               0.0860   0.0950   0.1033    0.0783    0.0896
//   heavy-tailed (g·|g'|) 2048×2048  0.1136   0.1337   0.1538    0.0986    0.1223
//   fixture layers.0.mlp.down_proj   0.0846   0.0932   0.1000    0.0794    0.0897
// 64 with scale + zero point costs the same 4.5 bits and is worse everywhere; 32 asymmetric is
// ~10 % better but streams 11 % more bytes per token.
//
// Rows are interleaved in tiles of kRowTile = 4 so that one sequential pass feeds the four rows a
// kernel works on together: for tile t, group g and row r of the tile,
//   nibbles: 16 bytes at ((t · G + g) · 4 + r) · 16, byte i = value i (low nibble) and value
//            i + 16 (high nibble) of the group, so one 16-byte load splits into two runs of 16;
//   scales:  f16 at (t · G + g) · 4 + r,
// where G = ceil(K / 32) groups (values past K are zero) and the rows are padded to a multiple of
// 4 with zero rows.

#include <cstddef>
#include <cstdint>

namespace folio::inference::kernels::int4 {

constexpr int64_t kGroup = 32;
constexpr int64_t kTile = 4;
constexpr int64_t groups(int64_t k) { return (k + kGroup - 1) / kGroup; }
constexpr int64_t paddedRows(int64_t n) { return (n + kTile - 1) / kTile * kTile; }
constexpr std::size_t nibbleBytes(int64_t n, int64_t k) { return std::size_t(paddedRows(n) * groups(k) * kGroup / 2); }
constexpr std::size_t scaleCount(int64_t n, int64_t k) { return std::size_t(paddedRows(n) * groups(k)); }
// Offset of row j's group 0 in the nibbles (bytes) and scales (elements); group g is 64 bytes /
// 4 scales further.
constexpr int64_t rowNibbleOffset(int64_t j, int64_t k) { return (j / kTile) * groups(k) * kTile * 16 + (j % kTile) * 16; }
constexpr int64_t rowScaleOffset(int64_t j, int64_t k) { return (j / kTile) * groups(k) * kTile + (j % kTile); }

} // namespace folio::inference::kernels::int4
