#pragma once
// Compares what the model read with the PDF's embedded e-invoice, field by field in the
// canonical vocabulary, on normalised values: amounts as numbers, dates as dates, identifiers
// (VAT ids, IBAN, invoice number) without spaces and case, names and terms with white space
// folded, addresses by their letters and digits (the country line may be left out: how a
// country is printed is not in the XML). A model amount or date without a normalised value is
// normalised from its raw text first (normalizeAmount / normalizeDate). The e-invoice is
// authoritative, so a disagreeing model field gets Flag::EInvoiceMismatch; its value is not
// changed.
// Pure function; thread-safe.

#include "extract/einvoice/einvoice.h"

#include <vector>

namespace folio::extract {

enum class Agreement {
    Agree, // both have the field and the values are equal
    Disagree, // both have it, the values differ
    MissingInModel, // the e-invoice has it, the model did not read it
    MissingInXml, // the model read it, the e-invoice does not have it
};

// "agree", "disagree", "missing_in_model", "missing_in_xml": for the CLI, exports and logs.
QString agreementName(Agreement agreement);

struct FieldComparison {
    QString name; // canonical field name
    Agreement agreement = Agreement::Agree;
    QString xmlValue; // the e-invoice's normalised value (its raw value if it has none)
    QString modelValue; // the model's normalised value; for an amount or date the model left
                        // unnormalised, its raw value normalised here; else its raw value
};

struct EInvoiceComparison {
    // One entry per canonical field that either side has, in canonical order.
    std::vector<FieldComparison> fields;
    // The model's fields as given, with Flag::EInvoiceMismatch added to each that disagrees.
    std::vector<Field> modelFields;

    int count(Agreement agreement) const;
};

EInvoiceComparison compareWithModel(const EInvoice& invoice, const std::vector<Field>& modelFields);

} // namespace folio::extract
