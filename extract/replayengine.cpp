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

Result<EngineOutput> ReplayEngine::run(const EngineRequest& request, const TokenProgress& progress,
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
    out.stopReason = QStringLiteral("replay");
    // Let the guards see the text as if it were streamed, so a recorded loop is caught the same way.
    if (progress && !progress(int(text.size()), text))
        out.stopReason = QStringLiteral("stopped");
    return out;
}

} // namespace folio::extract
