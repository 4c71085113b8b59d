#include "extract/einvoice/einvoice.h"

#include "extract/einvoice/ciidialect.h"
#include "extract/einvoice/ciiparser.h"
#include "extract/einvoice/ublparser.h"
#include "extract/einvoice/xmlelement.h"
#include "ingest/pdfdocument.h"

#include <poppler-qt6.h>

#include <algorithm>
#include <cctype>

namespace folio::extract {

namespace {

enum class Syntax { None, Cii, Zugferd1, Ubl };

constexpr int kMaxEInvoiceBytes = 64 * 1024 * 1024;

// Only the exact D16B namespace is the CII that Factur-X / ZUGFeRD 2 / XRechnung write, and only
// the 1p0 namespace is ZUGFeRD 1.0; anything else in the CEFACT or FeRD namespaces is an invoice
// we cannot read.
Result<Syntax> syntaxOf(const XmlRoot& root, const QString& origin)
{
    if (root.local == ciiD16B().root && root.ns == ciiD16B().rsm)
        return Syntax::Cii;
    if (root.local == zugferd1().root && root.ns == zugferd1().rsm)
        return Syntax::Zugferd1;
    if ((root.local == QLatin1String("Invoice") && root.ns == kUblInvoiceNamespace)
        || (root.local == QLatin1String("CreditNote") && root.ns == kUblCreditNoteNamespace))
        return Syntax::Ubl;
    if (root.ns.startsWith(QLatin1String("urn:ferd:CrossIndustryDocument")))
        return makeError(QStringLiteral("%1 is a ZUGFeRD document in an unsupported namespace (%2); only "
                                        "ZUGFeRD 1.0 (%3), ZUGFeRD 2 / Factur-X / XRechnung (CII D16B) and UBL 2.1 "
                                        "are supported")
                             .arg(origin, root.ns, zugferd1().rsm)
                             .toStdString());
    if (root.local == QLatin1String("CrossIndustryInvoice"))
        return makeError(QStringLiteral("%1 is a Cross Industry Invoice in an unsupported namespace (%2); only "
                                        "the D16B namespace %3 is supported")
                             .arg(origin, root.ns, ciiD16B().rsm)
                             .toStdString());
    return Syntax::None;
}

// By content first: XML starts with '<' after an optional byte-order mark and white space, and
// the '<' opens a declaration (<?), a comment or doctype (<!) or an element name; binary data
// that merely starts with '<' (an encrypted attachment) is not XML: its first bytes hold control
// characters, which XML text never does.
// A name or MIME type that says XML also counts, so a damaged factur-x.xml is reported rather
// than skipped.
bool looksLikeXml(const QByteArray& data, const QString& name, const QString& mimeType)
{
    if (name.endsWith(QLatin1String(".xml"), Qt::CaseInsensitive) || mimeType.contains(QLatin1String("xml")))
        return true;
    qsizetype i = data.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    while (i < data.size() && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        ++i;
    // UTF-16 XML starts with a byte-order mark; QXmlStreamReader decodes it.
    if (i + 1 < data.size() && data[i] == '<') {
        const unsigned char next = static_cast<unsigned char>(data[i + 1]);
        if (next != '?' && next != '!' && next != '_' && !std::isalpha(next) && next < 0x80)
            return false;
        for (qsizetype k = i; k < std::min<qsizetype>(data.size(), i + 64); ++k) {
            const unsigned char c = static_cast<unsigned char>(data[k]);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
                return false;
        }
        return true;
    }
    return data.startsWith("\xFF\xFE") || data.startsWith("\xFE\xFF");
}

} // namespace

const Field* EInvoice::field(const QString& name) const
{
    for (const Field& f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

Result<std::optional<EInvoice>> parseEInvoice(const QByteArray& xml, const QString& origin)
{
    const Result<XmlRoot> root = peekXmlRoot(xml, origin);
    if (!root)
        return makeError(root.error());
    const Result<Syntax> syntax = syntaxOf(*root, origin);
    if (!syntax)
        return makeError(syntax.error());
    if (*syntax == Syntax::None)
        return std::optional<EInvoice>();

    const Result<XmlElement> tree = XmlElement::parse(xml, origin);
    if (!tree)
        return makeError(tree.error());
    switch (*syntax) {
    case Syntax::Cii:
        return std::optional<EInvoice>(parseCii(*tree, ciiD16B()));
    case Syntax::Zugferd1:
        return std::optional<EInvoice>(parseCii(*tree, zugferd1()));
    case Syntax::Ubl:
    case Syntax::None: // handled above
        break;
    }
    return std::optional<EInvoice>(parseUbl(*tree));
}

Result<std::optional<EInvoice>> readEmbeddedEInvoice(const QString& pdfPath)
{
    auto pdf = ingest::PdfDocument::open(pdfPath);
    if (!pdf)
        return makeError(pdf.error());

    QStringList problems;
    // Poppler keeps ownership of the EmbeddedFile objects.
    for (Poppler::EmbeddedFile* file : (*pdf)->poppler().embeddedFiles()) {
        const QString origin = QStringLiteral("The attachment \"%1\" of %2").arg(file->name(), pdfPath);
        if (!file->isValid()) {
            if (file->name().endsWith(QLatin1String(".xml"), Qt::CaseInsensitive))
                problems << QStringLiteral("%1 cannot be read: its embedded file stream is damaged").arg(origin);
            continue;
        }
        // Sniffing needs the data in memory; an attachment this large is no e-invoice (those
        // are kilobytes), so a video or archive beside the invoice is not loaded at all.
        if (file->size() > kMaxEInvoiceBytes) {
            if (file->name().endsWith(QLatin1String(".xml"), Qt::CaseInsensitive))
                problems << QStringLiteral("%1 is %2 MB, too large for an e-invoice")
                                .arg(origin)
                                .arg(file->size() / (1024 * 1024));
            continue;
        }
        const QByteArray data = file->data();
        if (!looksLikeXml(data, file->name(), file->mimeType()))
            continue;
        Result<std::optional<EInvoice>> invoice = parseEInvoice(data, origin);
        if (!invoice) {
            problems << QString::fromStdString(invoice.error());
            continue;
        }
        if (!invoice->has_value())
            continue;
        (*invoice)->attachmentName = file->name();
        (*invoice)->warnings = problems;
        return invoice;
    }
    if (!problems.isEmpty())
        return makeError(problems.join(QStringLiteral("; ")).toStdString());
    return std::optional<EInvoice>();
}

} // namespace folio::extract
