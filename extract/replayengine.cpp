#include "extract/replayengine.h"

#include "extract/modelframe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace folio::extract {

ReplayEngine::ReplayEngine(QString directory)
    : m_directory(QDir(directory).absolutePath())
{
}

QString ReplayEngine::modelId() const { return QStringLiteral("replay:") + m_directory; }

Result<EngineOutput> ReplayEngine::run(const EngineRequest& request, const TokenProgress& /*progress*/,
                                       const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load())
        return makeError("cancelled");
    const QString path = QDir(m_directory).filePath(QStringLiteral("%1.txt").arg(request.pageIndex + 1));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("replay: no recorded output for page %1 (%2: %3)")
                             .arg(request.pageIndex + 1)
                             .arg(path, file.errorString())
                             .toStdString());
    const QString text = QString::fromUtf8(file.readAll());

    const Result<QSize> frame = modelInputSize(request.image.size(), request.minPixels, request.maxPixels);
    if (!frame)
        return makeError(frame.error());

    EngineOutput out;
    out.text = text;
    out.resizedWidth = frame->width();
    out.resizedHeight = frame->height();
    // Nothing is generated, so there are no tokens to report; the caller's guards look at the
    // finished text (a recorded loop is caught the same way as a live one).
    out.stopReason = QStringLiteral("replay");
    return out;
}

} // namespace folio::extract
