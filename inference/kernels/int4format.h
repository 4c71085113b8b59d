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
// Rows are interleaved in tiles of kTile = 16, laid out for vpdpbusd, which sums 4 byte products
// into each of 16 int32 lanes: with lane i = row i of the tile and x's 4 bytes broadcast to every
// lane, one instruction advances 16 rows by 4 values, the lanes hold whole row sums (no
// horizontal adds), and the float work per group (convert, scale, accumulate) is one vector for
// 16 rows. (Tiles of 4 rows in 128-bit lanes, the first layout, needed that float work per 4 rows
// and left 8-token verification 4.4× a one-token step.) For tile t, group g, row i of the tile and
// value c of the group (0…31), with h = c / 8:
//   nibbles: the group is 256 bytes at (t · G + g) · 256; its chunk h is 64 bytes at + h · 64,
//            byte i · 4 + c % 4 of the chunk holds value c in its low nibble if c % 8 < 4, else
//            in its high nibble (so one 64-byte load splits into values 8h…8h+3 and 8h+4…8h+7
//            of all 16 rows);
//   scales:  f16 at (t · G + g) · 16 + i,
// where G = ceil(K / 32) groups (values past K are zero) and the rows are padded to a multiple of
// 16 with zero rows.

#include <cstddef>
#include <cstdint>

namespace folio::inference::kernels::int4 {

constexpr int64_t kGroup = 32;
constexpr int64_t kTile = 16;
constexpr int64_t kGroupBytes = kTile * kGroup / 2; // one group of a tile: 256
constexpr int64_t groups(int64_t k) { return (k + kGroup - 1) / kGroup; }
constexpr int64_t paddedRows(int64_t n) { return (n + kTile - 1) / kTile * kTile; }
constexpr std::size_t nibbleBytes(int64_t n, int64_t k) { return std::size_t(paddedRows(n) * groups(k) * kGroup / 2); }
constexpr std::size_t scaleCount(int64_t n, int64_t k) { return std::size_t(paddedRows(n) * groups(k)); }
// Group g of the tile holding row j: its 256 bytes and its 16 scales.
constexpr int64_t groupOffset(int64_t j, int64_t g, int64_t k) { return ((j / kTile) * groups(k) + g) * kGroupBytes; }
constexpr int64_t scaleIndex(int64_t j, int64_t g, int64_t k) { return ((j / kTile) * groups(k) + g) * kTile + j % kTile; }
// Where value c (0…31) of row j's group sits inside the group's 256 bytes, and in which nibble.
constexpr int64_t valueByte(int64_t j, int64_t c) { return (c / 8) * 64 + (j % kTile) * 4 + c % 4; }
constexpr bool valueIsHigh(int64_t c) { return c % 8 >= 4; }

} // namespace folio::inference::kernels::int4
