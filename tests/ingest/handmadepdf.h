#pragma once
// PDFs written by hand, object by object, with a correct xref table: the shapes of damage the
// ingest tests need (bad pages, loops, bombs) that no PDF writer produces on purpose.

#include <QByteArray>
#include <QList>

namespace folio::test {

class HandMadePdf {
public:
    // Adds an object and returns its number (1-based). `body` is the object's text.
    int add(const QByteArray& body)
    {
        m_objects << body;
        return int(m_objects.size());
    }
    // Adds a stream object with the given extra dictionary entries.
    int addStream(const QByteArray& dictEntries, const QByteArray& data)
    {
        return add("<< " + dictEntries + " /Length " + QByteArray::number(data.size()) + " >>\nstream\n" + data
                   + "\nendstream");
    }
    int reserve() { return add({}); }
    void set(int number, const QByteArray& body) { m_objects[number - 1] = body; }

    static QByteArray ref(int number) { return QByteArray::number(number) + " 0 R"; }

    // The file, with object `root` as the catalog.
    QByteArray bytes(int root) const
    {
        QByteArray pdf = "%PDF-1.4\n";
        QList<int> offsets;
        for (int i = 0; i < m_objects.size(); ++i) {
            offsets << int(pdf.size());
            pdf += QByteArray::number(i + 1) + " 0 obj\n" + m_objects[i] + "\nendobj\n";
        }
        const int xref = int(pdf.size());
        pdf += "xref\n0 " + QByteArray::number(m_objects.size() + 1) + "\n0000000000 65535 f \n";
        for (int off : offsets)
            pdf += QByteArray::number(off).rightJustified(10, '0') + " 00000 n \n";
        pdf += "trailer\n<< /Size " + QByteArray::number(m_objects.size() + 1) + " /Root " + ref(root)
            + " >>\nstartxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
        return pdf;
    }

    // A document whose pages are the given page dictionaries' extra entries (each gets /Type,
    // /Parent and, unless it names its own, /MediaBox [0 0 612 792]).
    static QByteArray withPages(const QList<QByteArray>& pageEntries)
    {
        HandMadePdf pdf;
        const int catalog = pdf.reserve();
        const int pages = pdf.reserve();
        QByteArray kids;
        for (const QByteArray& entries : pageEntries) {
            const QByteArray box = entries.contains("/MediaBox") ? QByteArray() : QByteArray(" /MediaBox [0 0 612 792]");
            kids += ref(pdf.add("<< /Type /Page /Parent " + ref(pages) + box + " " + entries + " >>")) + " ";
        }
        pdf.set(catalog, "<< /Type /Catalog /Pages " + ref(pages) + " >>");
        pdf.set(pages, "<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(pageEntries.size()) + " >>");
        return pdf.bytes(catalog);
    }

private:
    QList<QByteArray> m_objects;
};

} // namespace folio::test
