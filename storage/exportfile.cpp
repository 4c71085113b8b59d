#include "storage/exportfile.h"

#include <QSaveFile>

namespace folio::storage {

Result<void> writeExportFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    const auto failed
        = [&] { return makeError("Cannot write " + path.toStdString() + ": " + file.errorString().toStdString()); };
    if (!file.open(QIODevice::WriteOnly))
        return failed();
    if (file.write(bytes) != bytes.size())
        return failed();
    if (!file.commit())
        return failed();
    return {};
}

} // namespace folio::storage
