#pragma once

#include <QRectF>
#include <QString>

namespace folio::ingest {

// One word of a PDF text layer. The box is normalised to [0,1] of the *unrotated* page
// (DESIGN.md, Geometry), so it survives zoom, DPI and rotation.
struct Word {
    QString text;
    QRectF box;
    int line = 0; // words with the same line index form one text line, in reading order
};

} // namespace folio::ingest
