#pragma once
// Declarations only (no inline code), so the ISA-specific files may include it.
// Packing and unpacking of the weight formats (scalar C++; run once at load, or per tile in
// prefill): bf16 rows, int8 tiles with one f32 scale per row (int8format.h), int4 groups
// (int4format.h).
// Every function works on a block of rows so callers can convert a large matrix piecewise and
// in parallel without a full-size f32 copy.

#include <cstdint>

namespace folio::inference::kernels {

// IEEE binary16 and bfloat16 <-> f32, round to nearest even (portable; no F16C needed).
uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);
uint16_t floatToBf16(float f);
float bf16ToFloat(uint16_t b);

// Int8: scale = max|w| / 127 per row, q = round(w / scale). Rows [n0, n1) of w, as for int4
// below (rows from n0 + validRows on are zero rows); q (the int8format.h bytes) and scales are
// the whole matrix's arrays.
void quantizeInt8(const float* w, int64_t k, int64_t n0, int64_t n1, int64_t validRows, uint8_t* q, float* scales);
// out [n1 - n0][k] = scale · q, any n0, in f32 or (rounded to nearest even) bf16; finite weights only.
void dequantizeInt8(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, float* out);
// (On the AVX512-BF16 path, when it is active: dequantizeInt8Bf16Avx512Bf16, the same bits.)
void dequantizeInt8(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* outBf16);
// Defined in gemv_avx512bf16.cpp: a CPU with AVX512-BF16 only.
void dequantizeInt8Bf16Avx512Bf16(const uint8_t* q, const float* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* outBf16);

// Int4: rows [n0, n1) of w, n0 a multiple of int4::kTile; rows past the matrix's n are zero rows
// the caller need not pass: w has n1 - n0 rows, padded rows only if n1 is past the end (set
// `validRows` to the real count). nibbles / scales are the whole matrix's arrays.
void quantizeInt4(const float* w, int64_t k, int64_t n0, int64_t n1, int64_t validRows, uint8_t* nibbles, uint16_t* scales);
// out [n1 - n0][k] = d · (q − 8), any n0, in f32 or (rounded to nearest even) bf16.
void dequantizeInt4(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1, float* out);
// (On the AVX512-BF16 path, when it is active: dequantizeInt4Bf16Avx512Bf16, the same bits.)
void dequantizeInt4(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1, uint16_t* outBf16);
// Defined in gemv_avx512bf16.cpp: a CPU with AVX512-BF16 only.
void dequantizeInt4Bf16Avx512Bf16(const uint8_t* nibbles, const uint16_t* scales, int64_t k, int64_t n0, int64_t n1,
                                  uint16_t* outBf16);

} // namespace folio::inference::kernels
