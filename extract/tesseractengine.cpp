#include "extract/tesseractengine.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <map>

namespace folio::extract {

TesseractEngine::TesseractEngine(std::unique_ptr<ingest::OcrEngine> ocr, double dpi)
    : m_ocr(std::move(ocr))
    , m_dpi(dpi)
{
}

QString TesseractEngine::modelId() const { return QStringLiteral("tesseract:") + m_ocr->languages(); }

Result<EngineOutput> TesseractEngine::run(const EngineRequest& request, const TokenProgress& /*progress*/,
                                          const std::atomic<bool>* cancel)
{
    QElapsedTimer timer;
    timer.start();
    const Result<ingest::OcrPage> page = m_ocr->recognize(request.image, m_dpi, true, {}, cancel);
    if (!page)
        return makeError(page.error());

    // Words → lines in reading order, each line's box the union of its words, in image pixels.
    struct Line {
        QStringList words;
        QRectF box;
    };
    std::map<int, Line> lines;
    for (const ingest::Word& w : page->words) {
        Line& line = lines[w.line];
        line.words << w.text;
        line.box = line.box.united(w.box);
    }
    const double width = request.image.width(), height = request.image.height();
    QJsonArray answer;
    for (const auto& [index, line] : lines) {
        const auto px = [](double v, double size) { return static_cast<int>(std::lround(v * size)); };
        answer.append(QJsonObject{
            {QStringLiteral("bbox_2d"), QJsonArray{px(line.box.left(), width), px(line.box.top(), height),
                                                   px(line.box.right(), width), px(line.box.bottom(), height)}},
            {QStringLiteral("text_content"), line.words.join(u' ')}});
    }

    EngineOutput out;
    out.text = QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Indented));
    out.resizedWidth = request.image.width();
    out.resizedHeight = request.image.height();
    out.stopReason = QStringLiteral("ocr");
    out.timings = QJsonObject{{QStringLiteral("total"), double(timer.elapsed())},
                              {QStringLiteral("orientation"), page->orientation}};
    return out;
}

} // namespace folio::extract
