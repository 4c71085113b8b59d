#pragma once

#include "ingest/sourcedocument.h"
#include "ingest/tiffframes.h"

#include <memory>

namespace folio::ingest {

// A PNG, JPEG or (multi-page) TIFF file: one page per frame, EXIF orientation applied, so the
// page is the image as a person sees it. The page size in points follows the file's own
// resolution (e.g. a 200 dpi scan of A4 is 595 x 842 pt); files that state none (or the
// placeholder 72/96 dpi) count as 150 dpi. TIFF pages are read with libtiff in one pass
// (ingest/tiffframes.h); a truncated or damaged image is kept with a page warning.
class ImageDocument final : public SourceDocument {
public:
    static Result<std::unique_ptr<ImageDocument>> open(const QString& path);
    ~ImageDocument() override;

    DocumentKind kind() const override { return DocumentKind::Image; }
    QString path() const override { return m_path; }
    int pageCount() const override { return m_frameCount; }
    QString title() const override { return {}; }
    Result<PageInfo> pageInfo(int page) const override;
    Result<QImage> render(int page, double dpi, const std::atomic<bool>* abort = nullptr) const override;
    Result<std::vector<Word>> words(int page) const override;
    QString warning(int page) const override;

    static constexpr double kAssumedDpi = 150.0;

private:
    ImageDocument(QString path, int frameCount);
    // Decodes one frame (cached: review and extraction ask for the same page repeatedly).
    Result<QImage> frame(int page) const;
    double frameDpi(const QImage& image) const;

    QString m_path;
    int m_frameCount = 0;
    QByteArray m_bytes;                    // a PNG or JPEG file's content (decoded from memory)
    std::unique_ptr<TiffFrames> m_tiff;    // a TIFF file's frames, read with libtiff
    QString m_fileWarning;                 // a truncated PNG/JPEG (its one page)
    mutable std::vector<QString> m_frameWarnings; // per TIFF frame, once decoded
    mutable int m_cachedPage = -1;
    mutable QImage m_cached;
};

} // namespace folio::ingest
