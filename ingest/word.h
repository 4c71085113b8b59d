#pragma once

#include <QRectF>
#include <QString>

namespace folio::ingest {

// Where a word of a page came from: the PDF's own text layer (exact), or OCR of the page image.
enum class WordSource { TextLayer, Ocr };

// One word on a page: from the PDF text layer or from OCR. The box is normalised to [0,1] of the
// *unrotated* page (DESIGN.md, Geometry), so it survives zoom, DPI and rotation.
struct Word {
    QString text;
    QRectF box;
    int line = 0; // words with the same line index form one text line, in reading order
    double confidence = 1.0; // OCR's confidence in [0,1]; 1 for the text layer
    WordSource source = WordSource::TextLayer;
};

} // namespace folio::ingest
