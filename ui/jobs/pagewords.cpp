#include "ui/jobs/pagewords.h"

#include "storage/library.h"

namespace folio::jobs {

std::vector<ingest::Word> toWords(const storage::PageWords& page)
{
    std::vector<ingest::Word> words;
    words.reserve(page.words.size());
    for (const storage::WordRecord& w : page.words)
        words.push_back(ingest::Word{w.text, w.box, w.lineIndex, w.confidence,
                                     w.ocr ? ingest::WordSource::Ocr : ingest::WordSource::TextLayer});
    return words;
}

std::vector<ingest::Word> pageWords(storage::Library& library, qint64 documentId, int page)
{
    const auto stored = library.words(documentId, page);
    return stored ? toWords(*stored) : std::vector<ingest::Word>{};
}

} // namespace folio::jobs
