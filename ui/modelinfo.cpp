#include "ui/modelinfo.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace folio::ui {

namespace {

    // Published Qwen2.5-VL sizes by the language model's hidden size.
    QString sizeName(int hiddenSize)
    {
        switch (hiddenSize) {
        case 2048: return QStringLiteral("3B");
        case 3584: return QStringLiteral("7B");
        case 5120: return QStringLiteral("32B");
        case 8192: return QStringLiteral("72B");
        default: return QStringLiteral("hidden size %1").arg(hiddenSize);
        }
    }

    Error fail(const QString& message) { return makeError(message.toStdString()); }

} // namespace

Result<ModelInfo> readModelInfo(const QString& dir)
{
    const QDir d(dir);
    if (dir.isEmpty() || !d.exists())
        return fail(QStringLiteral("Model folder %1 does not exist.").arg(dir));
    QFile file(d.filePath(QStringLiteral("config.json")));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1 has no readable config.json; is this a downloaded model folder?").arg(dir));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!json.isObject())
        return fail(QStringLiteral("%1 is not valid JSON: %2").arg(file.fileName(), parseError.errorString()));
    const QJsonObject config = json.object();
    ModelInfo info;
    info.modelType = config.value(QStringLiteral("model_type")).toString();
    if (info.modelType != u"qwen2_5_vl")
        return fail(QStringLiteral("%1 describes a '%2' model; Folio needs Qwen2.5-VL (model_type qwen2_5_vl).")
                        .arg(file.fileName(), info.modelType));
    // Newer configs nest the language model's sizes under text_config.
    const QJsonObject text = config.contains(QStringLiteral("text_config"))
                                 ? config.value(QStringLiteral("text_config")).toObject()
                                 : config;
    info.hiddenSize = text.value(QStringLiteral("hidden_size")).toInt(config.value(QStringLiteral("hidden_size")).toInt());
    info.layers = text.value(QStringLiteral("num_hidden_layers")).toInt(config.value(QStringLiteral("num_hidden_layers")).toInt());
    if (info.hiddenSize <= 0)
        return fail(QStringLiteral("%1 has no hidden_size.").arg(file.fileName()));
    info.dtype = config.value(QStringLiteral("torch_dtype")).toString(text.value(QStringLiteral("torch_dtype")).toString());
    info.displayName = QStringLiteral("Qwen2.5-VL-%1").arg(sizeName(info.hiddenSize));
    info.hasWeights = !d.entryList({QStringLiteral("*.safetensors")}, QDir::Files).isEmpty();
    return info;
}

} // namespace folio::ui
