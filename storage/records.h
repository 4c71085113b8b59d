#pragma once
// The plain values that go into and come out of the Library (storage/library.h). Callers
// (ingest results, the CLI, the UI) fill and read these; storage depends on nobody's types.
//
// Boxes are normalised to [0,1] of the *unrotated* page: x0,y0 top-left, x1,y1 bottom-right
// (DESIGN.md, Geometry). Page indexes are 0-based. Hashes are lowercase hex SHA-256.

#include <QByteArray>
#include <QDateTime>
#include <QRectF>
#include <QString>

#include <vector>

namespace folio::storage {

// One word of a page: from the PDF text layer, or from OCR of the page image (ocr = true, with
// the recogniser's confidence in [0,1]). Words with the same lineIndex on a page form a text
// line, in the order they appear in PageRecord::words.
struct WordRecord {
    QString text;
    QRectF box;
    int lineIndex = 0;
    bool ocr = false;
    double confidence = 1.0;
};

// An amount or date printed on a page, in canonical form, so that a search finds it however it
// is written (3,395.23 / 3.395,23 / 3 395,23 → "3395.23"; 15.03.2026 / March 15, 2026 →
// "2026-03-15"). Storage does not read values itself (that is extract's normalisers' job): the
// caller reads them from the page's words (jobs/pagevalues.h).
struct ValueRecord {
    QString kind;  // "amount" or "date"
    QString value; // canonical: plain decimal ("3395.23") or ISO date ("2026-03-15")
    QString text;  // the words as printed
    QRectF box;    // the union of those words' boxes
    int lineIndex = 0; // the words' line (WordRecord::lineIndex)
    bool ocr = false;  // read from OCR words, not the text layer
};

struct PageRecord {
    int index = 0; // 0-based, unique within the document
    double widthPt = 0;
    double heightPt = 0;
    int rotation = 0; // 0, 90, 180 or 270
    bool hasTextLayer = false; // the PDF has a text layer on this page (OCR words do not count)
    std::vector<WordRecord> words;
    std::vector<ValueRecord> values; // the amounts and dates among the words
    QString ocrLanguages; // the Tesseract languages the OCR words were read with; empty: no OCR
    QString error;   // why the page (or its text layer) could not be read; empty for a good page
    QString warning; // damaged but usable (a truncated image); empty when whole
};

struct NewDocument {
    QString path; // stored as an absolute path
    QByteArray sha256Hex;
    QString kind; // "pdf" or "image"
    qint64 fileSize = 0;
    QString title; // may be empty
    std::vector<PageRecord> pages;
};

struct DocumentSummary {
    qint64 id = 0;
    QString path;
    QString fileName;
    QByteArray sha256; // lowercase hex
    QString kind;
    int pageCount = 0;
    bool hasTextLayer = false; // any page has one
    QDateTime addedAt; // UTC
    QString status; // "ingested" until later stages set more
    QString title;
    qint64 fileSize = 0;
};

struct PageSummary {
    qint64 id = 0;
    int index = 0;
    double widthPt = 0;
    double heightPt = 0;
    int rotation = 0;
    bool hasTextLayer = false;
    int wordCount = 0; // all words, OCR words included
    int ocrWordCount = 0;
    QString ocrLanguages; // empty: never OCR'd
    QString error;   // PageRecord::error as stored
    QString warning; // PageRecord::warning as stored
    int viewRotation = 0; // the reviewer's clockwise turn in the viewer, on top of rotation
};

// What Library::storeDocument did: stored it now, or found it already stored (possibly by
// another process that finished storing it meanwhile).
struct StoredDocument {
    qint64 id = 0;
    bool alreadyPresent = false;
};

struct DocumentDetail {
    DocumentSummary doc;
    std::vector<PageSummary> pages; // by index
};

struct SearchHit {
    qint64 documentId = 0;
    QString path;
    int pageIndex = 0; // 0-based
    QString snippet; // the entry's text around the first hit, hit terms marked «like this»
    QRectF box; // normalised; the matching words of a text-layer line, else the entry's box
    QString kind; // "text_layer" (PDF text layer), "ocr" (OCR words), "ocr_line", "field", "cell"
    // How it matched: "phrase" (the words side by side, as typed, or a quoted phrase), "words"
    // (every word, apart), "amount" or "date" (the same value, however it is printed).
    QString match;

    // For people: "text layer · phrase", "extracted value · amount", ...
    QString label() const;
};

} // namespace folio::storage
