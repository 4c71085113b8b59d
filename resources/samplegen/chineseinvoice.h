#pragma once
// The Chinese sample: an electronic VAT special invoice (电子发票（增值税专用发票）) with
// 发票号码, 开票日期, 购买方 and 销售方 blocks, five items at 13 % and 6 %, 合计, 税额 and
// 价税合计 in words (大写) and figures (小写), drawn entirely with WenQuanYi Micro Hei. Per
// Chinese practice the tax is computed per line and 合计税额 is the sum of the line taxes.
// Writes invoice-cn-mingyuan.pdf (A4 landscape) and its truth file. GUI thread.

#include "fontset.h"

#include "inference/result.h"

#include <QString>
#include <QtGlobal>

namespace folio::samplegen {

// An amount in Chinese capital numerals as printed on invoices: 1901750 → 壹万玖仟零壹拾柒圆伍角,
// 1050000 → 壹万零伍佰圆整. `cents` must be non-negative.
QString chineseCapitalAmount(qint64 cents);

Result<void> writeChineseInvoice(const FontSet& fonts, const QString& dir);

} // namespace folio::samplegen
