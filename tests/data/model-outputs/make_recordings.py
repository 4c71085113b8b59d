#!/usr/bin/env python3
"""Writes the replay recordings in this folder from the samples' truth files.

These are NOT outputs of a real model: they are written in the exact conventions Qwen2.5-VL
uses (spec section 9: fenced JSON with bbox_2d in pixels of the resized input, trailing commas,
prose around the answer, HTML tables with data-bbox) and with the faults real runs show (a
truncated answer, a repetition loop, boxes a few pixels outside the image, x1 > x2), so that
the replay engine can drive the real parsers end to end. Run: python3 make_recordings.py
"""
import json, math, os

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, '..', '..', '..', 'resources', 'samples')
MAX_PIXELS = 1280 * 28 * 28  # Folio's default model pixel budget per page


def smart_resize(h, w, factor=28, min_pixels=3136, max_pixels=MAX_PIXELS):
    hb, wb = round(h / factor) * factor, round(w / factor) * factor
    if hb * wb > max_pixels:
        beta = math.sqrt(h * w / max_pixels)
        hb, wb = math.floor(h / beta / factor) * factor, math.floor(w / beta / factor) * factor
    elif hb * wb < min_pixels:
        beta = math.sqrt(min_pixels / (h * w))
        hb, wb = math.ceil(h * beta / factor) * factor, math.ceil(w * beta / factor) * factor
    return wb, hb


def truth(stem):
    with open(os.path.join(SAMPLES, stem + '.truth.json'), encoding='utf-8') as f:
        return json.load(f)


def px(box, frame):
    w, h = frame
    return [round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)]


def write(stem, task, page, text):
    d = os.path.join(HERE, stem, task)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, '%d.txt' % page), 'w', encoding='utf-8') as f:
        f.write(text)


def slot(value, box):
    return '{"value": %s, "bbox_2d": %s}' % (json.dumps(value, ensure_ascii=False), json.dumps(box))


COLUMNS = ["description", "quantity", "unit", "unit_price", "tax_rate", "amount"]


def invoice_json(t, frame, page, trailing_commas=False, numbers=False, swap=None, overshoot=None):
    """The invoice answer for one page (1-based): fields and line items printed on that page."""
    parts = []
    for f in t['fields']:
        if f['page'] != page:
            continue
        box = px(f['box'], frame)
        if swap == f['name']:
            box = [box[2], box[1], box[0], box[3]]
        if overshoot == f['name']:
            box[2] = frame[0] + 6
        parts.append('  "%s": %s' % (f['name'], slot(f['value'], box)))
    items = next((x for x in t['tables'] if x['name'] == 'line_items'), None)
    rows = []
    for row in (items['rows'] if items else []):
        if row[0]['page'] != page:
            continue
        cells = []
        for name, cell in zip(COLUMNS, row):
            value = cell['text']
            if numbers and name == 'quantity' and value.isdigit():
                cells.append('"%s": {"value": %s, "bbox_2d": %s}' % (name, value, json.dumps(px(cell['box'], frame))))
            else:
                cells.append('"%s": %s' % (name, slot(value, px(cell['box'], frame))))
        rows.append('    {' + ', '.join(cells) + (', ' if trailing_commas else '') + '}')
    sep = ',\n'
    body = sep.join(parts)
    if rows:
        body += sep + '  "line_items": [\n' + sep.join(rows) + (',' if trailing_commas else '') + '\n  ]'
    if trailing_commas:
        body += ','
    return '{\n' + body + '\n}'


A4 = smart_resize(1755, 1240)        # A4 portrait at 150 dpi -> 840 x 1176
LETTER = smart_resize(1650, 1275)    # US letter at 150 dpi -> 868 x 1120
A4_LANDSCAPE = smart_resize(1240, 1755)

# German invoice with a text layer: fenced, trailing commas, one box with x1 > x2, one box
# that runs past the right edge of the image.
t = truth('invoice-de-nordlicht')
write('invoice-de-nordlicht', 'invoice', 1,
      '```json\n' + invoice_json(t, A4, 1, trailing_commas=True, swap='seller_name', overshoot='iban') + '\n```')

# The same invoice as a scan (no text layer): bare JSON, quantities as numbers.
t = truth('invoice-de-nordlicht-scan')
write('invoice-de-nordlicht-scan', 'invoice', 1, invoice_json(t, A4, 1, numbers=True))

# US invoice: prose around the fenced answer.
t = truth('invoice-us-cascade')
write('invoice-us-cascade', 'invoice', 1,
      'Here is the extracted invoice data:\n\n```json\n' + invoice_json(t, LETTER, 1)
      + '\n```\n\nAll amounts are in US dollars.')

# Two-page invoice: page 1 is cut off at the token limit in the middle of the line items;
# page 2 carries the last items and the totals.
t = truth('invoice-fr-atelier-lumiere')
full = '```json\n' + invoice_json(t, A4, 1) + '\n```'
cut = full.index('"line_items"')
cut = full.index('"amount"', cut + len(full[cut:]) // 2)  # mid-item, well into the table
write('invoice-fr-atelier-lumiere', 'invoice', 1, full[:cut + 14])
write('invoice-fr-atelier-lumiere', 'invoice', 2, '```json\n' + invoice_json(t, A4, 2) + '\n```')

# Price list as HTML tables with data-bbox; page 2 falls into a repetition loop.
t = truth('price-list-kessler')
table = t['tables'][0]


def html_table(page, loop=False):
    rows = [r for r in table['rows'] if r[0]['page'] == page]
    out = ['<table data-bbox="%d %d %d %d">' % tuple(px([min(c['box'][0] for r in rows for c in r), min(c['box'][1] for r in rows for c in r),
                                                          max(c['box'][2] for r in rows for c in r), max(c['box'][3] for r in rows for c in r)], A4))]
    out.append('<tr>' + ''.join('<th>%s</th>' % c.replace('_', ' ') for c in table['columns']) + '</tr>')
    for r in rows:
        out.append('<tr>' + ''.join('<td data-bbox="%d %d %d %d">%s</td>' % (*px(c['box'], A4), c['text']) for c in r) + '</tr>')
    if loop:
        last = out[-1]
        out.extend([last] * 40)  # the model repeats the last row until the token limit
        return '```html\n' + '\n'.join(out)
    out.append('</table>')
    return '```html\n' + '\n'.join(out) + '\n```'


write('price-list-kessler', 'table', 1, html_table(1))
write('price-list-kessler', 'table', 2, html_table(2, loop=True))

# Chinese invoice, line-level text spotting with the cookbook's trailing comma in every object.
t = truth('invoice-cn-mingyuan')
items = []
for f in t['fields']:
    for line in f['value'].split('\n')[:1]:
        items.append('{"bbox_2d": %s, "text_content": %s,}' % (json.dumps(px(f['box'], A4_LANDSCAPE)), json.dumps(line, ensure_ascii=False)))
write('invoice-cn-mingyuan', 'ocr', 1, '```json\n[\n' + ',\n'.join(items) + '\n]\n```')
print('frames: A4 %s, letter %s, A4 landscape %s' % (A4, LETTER, A4_LANDSCAPE))
