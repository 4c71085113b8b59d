#include "ingest/pagestream.h"

#include <QDataStream>
#include <QIODevice>

#include <cstring>

namespace folio::ingest {

namespace {

    // A frame larger than this is not something our worker writes (a page of a million words
    // is about 60 MB): treat it as a broken stream instead of waiting for it.
    constexpr quint32 kMaxFrameBytes = 512u << 20;

} // namespace

QByteArray encodePageMessage(const PageMessage& message)
{
    QByteArray payload;
    {
        QDataStream out(&payload, QIODevice::WriteOnly);
        out << quint8(message.kind) << qint32(message.page);
        switch (message.kind) {
        case PageMessage::Kind::Started:
            break;
        case PageMessage::Kind::Geometry:
            out << message.info.sizePt << qint32(message.info.rotation);
            break;
        case PageMessage::Kind::Done:
            out << quint32(message.words.size());
            for (const Word& w : message.words)
                out << w.text << w.box << qint32(w.line);
            break;
        case PageMessage::Kind::Failed:
            out << message.error;
            break;
        }
    }
    QByteArray frame(4, Qt::Uninitialized);
    const quint32 size = quint32(payload.size());
    std::memcpy(frame.data(), &size, 4);
    return frame + payload;
}

std::optional<PageMessage> takePageMessage(QByteArray& buffer, bool* malformed)
{
    *malformed = false;
    if (buffer.size() < 4)
        return std::nullopt;
    quint32 size = 0;
    std::memcpy(&size, buffer.constData(), 4);
    if (size > kMaxFrameBytes) {
        *malformed = true;
        return std::nullopt;
    }
    if (quint64(buffer.size()) < 4 + quint64(size))
        return std::nullopt;
    const QByteArray payload = buffer.mid(4, qsizetype(size));
    buffer.remove(0, 4 + qsizetype(size));

    QDataStream in(payload);
    PageMessage m;
    quint8 kind = 0;
    qint32 page = 0;
    in >> kind >> page;
    m.kind = PageMessage::Kind(kind);
    m.page = page;
    switch (m.kind) {
    case PageMessage::Kind::Started:
        break;
    case PageMessage::Kind::Geometry: {
        qint32 rotation = 0;
        in >> m.info.sizePt >> rotation;
        m.info.rotation = rotation;
        break;
    }
    case PageMessage::Kind::Done: {
        quint32 count = 0;
        in >> count;
        for (quint32 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
            Word w;
            qint32 line = 0;
            in >> w.text >> w.box >> line;
            w.line = line;
            m.words.push_back(std::move(w));
        }
        break;
    }
    case PageMessage::Kind::Failed:
        in >> m.error;
        break;
    default:
        *malformed = true;
        return std::nullopt;
    }
    if (in.status() != QDataStream::Ok) {
        *malformed = true;
        return std::nullopt;
    }
    return m;
}

} // namespace folio::ingest
