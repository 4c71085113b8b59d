#pragma once

#include "inference/result.h"

#include <QImage>
#include <QString>

#include <memory>
#include <vector>

namespace folio::ingest {

// The frames (pages) of a TIFF file read with libtiff. open() walks the directory chain once
// and remembers where each frame's directory starts, so reading frame n later is one seek, not
// a walk from the first frame: a 5,000-page scan is read in linear time. libtiff's messages
// are collected per file, never printed. Not thread-safe: one thread per instance.
class TiffFrames {
public:
    static Result<std::unique_ptr<TiffFrames>> open(const QString& path);
    ~TiffFrames();

    int count() const { return int(m_offsets.size()); }
    // Decodes frame `index` to ARGB32 with the file's resolution set (dots per metre) and its
    // Orientation tag applied. `warning` gets what libtiff complained about while decoding a
    // frame that still came out (a damaged strip), else it is cleared.
    Result<QImage> read(int index, QString* warning);

    // Frames beyond this are not a document anyone scanned (and would take hours to read).
    static constexpr int kMaxFrames = 100'000;

private:
    struct Handle;
    explicit TiffFrames(QString path);

    QString m_path;
    std::unique_ptr<Handle> m_handle;
    std::vector<quint64> m_offsets;
};

} // namespace folio::ingest
