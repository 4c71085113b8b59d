#pragma once
// The int8 weight layout. One f32 scale per output row, s = max|w| / 127, q = round(w / s) in
// −127…127 (per row: int8 is the near-lossless choice, and one scale per row costs nothing per
// value).
//
// Rows are interleaved in tiles of kTile = 16 like int4's (int4format.h) and for the same reason:
// vpdpbusd sums 4 byte products into each of 16 int32 lanes, so with lane i = row i of the tile
// and x's 4 bytes broadcast to every lane, one instruction advances 16 rows by 4 values and the
// float work per block of 32 values is one vector for 16 rows. vpdpbusd's broadcast operand is
// the signed one, so the weights go in unsigned: stored as q + 128, and the kernel adds
// −128 · Σ qx per block (16 × int4's offset −8 · Σ qx). (Plain rows in 4-row tiles, the first
// layout, read 17–28 GB/s where int4's tiles read 32.)
// For tile t, block g (values 32g…32g+31), row i of the tile and value c of the block (0…31):
//   bytes:  the block is 512 bytes at (t · G + g) · 512; its chunk c / 4 is 64 bytes at
//           + (c / 4) · 64, and byte i · 4 + c % 4 of the chunk holds q + 128;
//   scales: f32 at t · 16 + i,
// where G = ceil(K / 32) blocks (values past K hold 128, i.e. q = 0) and the rows are padded to a
// multiple of 16 with zero rows (scale 0).

#include "inference/kernels/int4format.h"

#include <cstddef>
#include <cstdint>

namespace folio::inference::kernels::int8 {

constexpr int64_t kBlock = int4::kGroup;
constexpr int64_t kTile = int4::kTile;
constexpr int64_t kBlockBytes = kTile * kBlock; // one block of a tile: 512
constexpr uint8_t kZero = 128;                  // the stored byte of q = 0
constexpr int64_t blocks(int64_t k) { return (k + kBlock - 1) / kBlock; }
constexpr int64_t paddedRows(int64_t n) { return int4::paddedRows(n); }
constexpr std::size_t byteCount(int64_t n, int64_t k) { return std::size_t(paddedRows(n) * blocks(k) * kBlock); }
// Block g of the tile holding row j: its 512 bytes.
constexpr int64_t blockOffset(int64_t j, int64_t g, int64_t k) { return ((j / kTile) * blocks(k) + g) * kBlockBytes; }
// Where value c (0…31) of row j's block sits inside the block's 512 bytes.
constexpr int64_t valueByte(int64_t j, int64_t c) { return (c / 4) * 64 + (j % kTile) * 4 + c % 4; }

} // namespace folio::inference::kernels::int8
