#pragma once
// FontSet: the font files the samples are drawn with, loaded explicitly from Debian font
// packages (fonts-dejavu-core, fonts-wqy-microhei) so the output never depends on which font
// fontconfig would pick on the generating machine. Call after QGuiApplication exists, on the
// GUI thread.

#include "inference/result.h"

#include <QFont>
#include <QString>

namespace folio::samplegen {

class FontSet {
public:
    // Loads DejaVu Sans (regular, bold) and WenQuanYi Micro Hei; the error names the missing
    // file and the package that provides it.
    static Result<FontSet> load();

    // Latin text, `points` in PDF points (the paint devices used here have 72 logical DPI).
    QFont latin(qreal points, bool bold = false) const;
    // Chinese text (the font also covers Latin digits and letters).
    QFont cjk(qreal points, bool bold = false) const;

private:
    QFont make(const QString& family, qreal points, bool bold) const;

    QString m_latinFamily;
    QString m_cjkFamily;
};

} // namespace folio::samplegen
