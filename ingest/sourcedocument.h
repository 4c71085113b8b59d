#pragma once

#include "ingest/word.h"
#include "inference/result.h"

#include <QImage>
#include <QSizeF>
#include <QString>

#include <atomic>
#include <vector>

namespace folio::ingest {

enum class DocumentKind { Pdf, Image };

QString kindName(DocumentKind kind); // "pdf" or "image"

struct PageInfo {
    QSizeF sizePt;     // unrotated page size in PDF points (1/72 in)
    int rotation = 0;  // clockwise degrees the page is displayed (and rendered) with: 0/90/180/270
    double scanDpi = 0; // resolution of an image page's own pixels; 0 for a PDF page (vector, any dpi)
};

// An opened input file: a PDF or an image file (one page per frame). Not thread-safe: one
// thread uses one instance (open another instance for parallel work).
class SourceDocument {
public:
    virtual ~SourceDocument() = default;

    virtual DocumentKind kind() const = 0;
    virtual QString path() const = 0;
    virtual int pageCount() const = 0;
    virtual QString title() const = 0;

    // Page geometry; `page` is 0-based. Errors name the file and the 1-based page.
    virtual Result<PageInfo> pageInfo(int page) const = 0;

    // Renders the page as displayed (rotation applied) to an opaque RGB888 image at `dpi`.
    // `abort` may be set from another thread; a render that sees it returns an error saying so.
    virtual Result<QImage> render(int page, double dpi, const std::atomic<bool>* abort = nullptr) const = 0;

    // The text layer as words with boxes on the unrotated page; empty for scans and images.
    virtual Result<std::vector<Word>> words(int page) const = 0;

    // What is damaged but usable about a page (a truncated image file); empty when nothing is.
    virtual QString warning(int page) const
    {
        (void)page;
        return {};
    }
};

// Page sizes beyond this are not real documents (the PDF format's own limit is 14400 pt).
inline constexpr double kMaxPageSizePt = 14400.0;
// A render larger than this many pixels would need gigabytes; refuse it instead.
inline constexpr qint64 kMaxRenderPixels = 400'000'000;

} // namespace folio::ingest
