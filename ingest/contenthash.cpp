#include "ingest/contenthash.h"

#include "ingest/filecheck.h"

#include <QCryptographicHash>
#include <QFile>

namespace folio::ingest {

Result<QByteArray> sha256OfFile(const QString& path)
{
    if (auto regular = checkRegularFile(path); !regular)
        return makeError(regular.error());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()).toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return makeError(QStringLiteral("%1: read error: %2").arg(path, file.errorString()).toStdString());
    return hash.result().toHex();
}

} // namespace folio::ingest
