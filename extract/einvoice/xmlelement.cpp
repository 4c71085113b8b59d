#include "extract/einvoice/xmlelement.h"

#include <QXmlStreamReader>

namespace folio::extract {

namespace {

Error readError(const QXmlStreamReader& reader, const QString& origin)
{
    return makeError(QStringLiteral("%1 is not well-formed XML: %2 (line %3, column %4)")
                         .arg(origin, reader.errorString())
                         .arg(reader.lineNumber())
                         .arg(reader.columnNumber())
                         .toStdString());
}

// Deeper nesting than any e-invoice has; the limit keeps a hostile attachment from exhausting
// the stack of the recursive reader.
constexpr int kMaxDepth = 64;

} // namespace

// Builds the tree from the reader positioned on an element's start tag. A class (not a free
// function) only so it may fill XmlElement's private members.
class XmlTreeBuilder {
public:
    static void readElement(QXmlStreamReader& reader, XmlElement& element, int depth)
    {
        if (depth > kMaxDepth) {
            reader.raiseError(QStringLiteral("elements are nested more than %1 deep").arg(kMaxDepth));
            return;
        }
        element.m_ns = reader.namespaceUri().toString();
        element.m_local = reader.name().toString();
        for (const QXmlStreamAttribute& a : reader.attributes())
            element.m_attributes.insert(a.name().toString(), a.value().toString());
        while (reader.readNext() != QXmlStreamReader::Invalid) {
            if (reader.isEndElement())
                break;
            if (reader.isStartElement()) {
                element.m_children.emplace_back();
                readElement(reader, element.m_children.back(), depth + 1);
            } else if (reader.isCharacters()) {
                element.m_text += reader.text();
            }
        }
        element.m_text = element.m_text.trimmed();
    }
};

Result<XmlElement> XmlElement::parse(const QByteArray& xml, const QString& origin)
{
    QXmlStreamReader reader(xml);
    XmlElement root;
    if (!reader.readNextStartElement())
        return reader.hasError() ? readError(reader, origin)
                                 : makeError(QStringLiteral("%1 has no XML root element").arg(origin).toStdString());
    XmlTreeBuilder::readElement(reader, root, 1);
    // Anything after the root (a second root, garbage, truncation) makes the document invalid.
    while (!reader.atEnd() && !reader.hasError())
        reader.readNext();
    if (reader.hasError())
        return readError(reader, origin);
    return root;
}

const XmlElement* XmlElement::find(std::initializer_list<XmlName> path) const
{
    const XmlElement* current = this;
    for (const XmlName& step : path) {
        const XmlElement* next = nullptr;
        for (const XmlElement& child : current->m_children) {
            if (child.is(step)) {
                next = &child;
                break;
            }
        }
        if (!next)
            return nullptr;
        current = next;
    }
    return current;
}

std::vector<const XmlElement*> XmlElement::all(XmlName name) const
{
    std::vector<const XmlElement*> out;
    for (const XmlElement& child : m_children) {
        if (child.is(name))
            out.push_back(&child);
    }
    return out;
}

QString XmlElement::textAt(std::initializer_list<XmlName> path) const
{
    const XmlElement* e = find(path);
    return e ? e->text() : QString();
}

Result<XmlRoot> peekXmlRoot(const QByteArray& xml, const QString& origin)
{
    QXmlStreamReader reader(xml);
    if (!reader.readNextStartElement())
        return reader.hasError() ? readError(reader, origin)
                                 : makeError(QStringLiteral("%1 has no XML root element").arg(origin).toStdString());
    return XmlRoot { reader.namespaceUri().toString(), reader.name().toString() };
}

} // namespace folio::extract
