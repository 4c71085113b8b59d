#pragma once

#include "ingest/sourcedocument.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace folio::ingest {

// The messages the page worker (ingest/pageworker/main.cpp) writes to its parent, framed as a
// 32-bit length followed by a QDataStream payload, so a killed worker leaves at worst one
// incomplete frame that the reader ignores.
struct PageMessage {
    enum class Kind : quint8 { Started = 1, Geometry = 2, Done = 3, Failed = 4 };
    Kind kind = Kind::Started;
    int page = 0;                 // 0-based
    PageInfo info;                // Geometry (sent before the text layer is read)
    std::vector<Word> words;      // Done (the page's geometry is the one of its Geometry message)
    QString error;                // Failed: why this page (or, with page -1, the file) is unreadable
};

QByteArray encodePageMessage(const PageMessage& message);

// Removes and returns the first complete message at the front of `buffer`; nullopt when the
// buffer holds no complete frame yet. A frame that does not decode is an error.
std::optional<PageMessage> takePageMessage(QByteArray& buffer, bool* malformed);

} // namespace folio::ingest
