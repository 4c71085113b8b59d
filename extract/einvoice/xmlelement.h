#pragma once
// XmlElement: a small namespace-aware element tree read with QXmlStreamReader, for documents
// that are read as a whole and queried by path (e-invoice XML). Elements are identified by
// namespace URI and local name, never by prefix, so any prefix choice of the writer works.
// Attributes are kept by local name (e-invoice attributes are unqualified: unitCode,
// currencyID, schemeID, format). Text is the element's own character data, trimmed.
// Plain value type; no thread affinity.

#include "inference/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <initializer_list>
#include <vector>

namespace folio::extract {

// One step of a path: namespace URI and local name.
struct XmlName {
    QStringView ns;
    QStringView local;
};

class XmlElement {
public:
    // Reads a whole XML document. An error (not well-formed, no root element) names
    // `origin` (e.g. the file and attachment) with the line and column of the problem.
    static Result<XmlElement> parse(const QByteArray& xml, const QString& origin);

    const QString& namespaceUri() const { return m_ns; }
    const QString& text() const { return m_text; }
    QString attribute(const QString& localName) const { return m_attributes.value(localName); }

    bool is(XmlName name) const { return m_ns == name.ns && m_local == name.local; }

    // The first descendant along `path` (each step a direct child); nullptr when absent.
    const XmlElement* find(std::initializer_list<XmlName> path) const;
    // Every direct child with this name, in document order.
    std::vector<const XmlElement*> all(XmlName name) const;
    // The text at `path`, or an empty string when absent.
    QString textAt(std::initializer_list<XmlName> path) const;

private:
    QString m_ns;
    QString m_local;
    QString m_text;
    QHash<QString, QString> m_attributes;
    std::vector<XmlElement> m_children;

    friend class XmlTreeBuilder;
};

// The root element's namespace URI and local name.
struct XmlRoot {
    QString ns;
    QString local;
};

// Reads only up to the root element's start tag, or fails when the data is not well-formed
// before that point. Cheap enough to sniff every attachment of a PDF.
Result<XmlRoot> peekXmlRoot(const QByteArray& xml, const QString& origin);

} // namespace folio::extract
