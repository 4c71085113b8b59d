// folio-pageworker PATH FIRST_PAGE MEMORY_BYTES (password on stdin): reads the geometry and
// text layer of pages FIRST_PAGE.. of a PDF and writes them to stdout as page messages
// (ingest/pagestream.h). Its parent (ingest/pageworker.cpp) kills it when a page goes over its
// time budget; its own address space is capped here, so a memory bomb ends this process only.
#include "ingest/pagestream.h"
#include "ingest/pdfdocument.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <cstdio>
#include <new>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using folio::ingest::PageMessage;

// The exit status that tells the parent an allocation failed under the memory cap.
constexpr int kExitOutOfMemory = 3;

void send(const PageMessage& message)
{
    const QByteArray frame = folio::ingest::encodePageMessage(message);
    qsizetype written = 0;
    while (written < frame.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, frame.constData() + written, size_t(frame.size() - written));
        if (n <= 0)
            ::_exit(1); // the parent is gone
        written += n;
    }
}

// The address space this process already uses, from /proc/self/statm (pages).
qint64 currentAddressSpace()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    return statm.readAll().split(' ').value(0).toLongLong() * ::sysconf(_SC_PAGESIZE);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::fputs("usage: folio-pageworker PATH FIRST_PAGE MEMORY_BYTES (password on stdin)\n", stderr);
        return 2;
    }
    const QString path = QFile::decodeName(argv[1]);
    const int first = QByteArray(argv[2]).toInt();
    const qint64 memory = QByteArray(argv[3]).toLongLong();

    QFile in;
    (void)in.open(stdin, QIODevice::ReadOnly);
    const QByteArray password = in.readAll();

    const rlim_t cap = rlim_t(currentAddressSpace() + memory);
    const rlimit limit{cap, cap};
    ::setrlimit(RLIMIT_AS, &limit);
    std::set_new_handler([] { ::_exit(kExitOutOfMemory); });

    auto doc = folio::ingest::PdfDocument::open(path, password);
    if (!doc) {
        send(PageMessage{PageMessage::Kind::Failed, -1, {}, {}, QString::fromStdString(doc.error())});
        return 0;
    }
    for (int page = first; page < (*doc)->pageCount(); ++page) {
        send(PageMessage{PageMessage::Kind::Started, page, {}, {}, {}});
        auto info = (*doc)->pageInfo(page);
        if (!info) {
            send(PageMessage{PageMessage::Kind::Failed, page, {}, {}, QString::fromStdString(info.error())});
            continue;
        }
        send(PageMessage{PageMessage::Kind::Geometry, page, *info, {}, {}});
        auto words = (*doc)->words(page);
        if (!words) {
            send(PageMessage{PageMessage::Kind::Failed, page, *info, {}, QString::fromStdString(words.error())});
            continue;
        }
        send(PageMessage{PageMessage::Kind::Done, page, {}, std::move(words).value(), {}});
    }
    return 0;
}
