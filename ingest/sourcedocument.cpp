#include "ingest/sourcedocument.h"

namespace folio::ingest {

QString kindName(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::Pdf:
        return QStringLiteral("pdf");
    case DocumentKind::Image:
        return QStringLiteral("image");
    }
    return {};
}

} // namespace folio::ingest
