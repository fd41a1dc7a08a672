/// The frame every HTML page shares: one self-contained document (no scripts, no network) with
/// an inline stylesheet — system fonts, restrained colour, an Okabe–Ito palette for meaning,
/// and print rules for A4.
enum HTMLPage {
    /// A whole document around `body` (markup the renderers built), titled `title` (escaped).
    /// In print, `runningHeader` (escaped for CSS) heads every page after the first, and every
    /// page is numbered "page N of M" at its foot.
    static func document(title: String, body: String, runningHeader: String? = nil) -> String {
        var html = HTMLWriter()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<meta name=\"generator\" content=\"coach\">\n")
        html.element("title", text: title)
        html.raw("\n<style>\n\(stylesheet)")
        html.raw(
            "@page { @bottom-right { content: \"page \" counter(page) \" of \" counter(pages); "
                + "font: 8pt system-ui, sans-serif; color: #5b6673; } }\n")
        if let runningHeader {
            html.raw(
                "@page { @top-left { content: \(cssString(runningHeader)); font: 8pt system-ui, sans-serif; "
                    + "color: #5b6673; } }\n@page :first { @top-left { content: none; } }\n")
        }
        html.raw("</style>\n</head>\n<body>\n")
        html.raw(body)
        html.raw("</body>\n</html>\n")
        return html.output
    }

    /// `text` as a quoted CSS string that cannot end the string, the rule or the `style`
    /// element: quotes, backslashes, angle brackets, `&` and control characters become CSS
    /// escapes (`\\3c `).
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\", "<", ">", "&", "\u{0}"..."\u{1F}", "\u{7F}":
                let code = scalar.value == 0 ? 0xFFFD : scalar.value
                out += "\\" + String(code, radix: 16) + " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The stylesheet. Okabe–Ito vermillion (#D55E00) marks blind spots and blue (#0072B2)
    /// hidden strengths; both are told apart by people with any common colour-vision deficiency,
    /// and every use also carries words.
    static let stylesheet = """
        :root {
          --ink: #1d2733; --muted: #5b6673; --rule: #d9dee3; --paper: #fff; --bar: #4a5a6c;
          --blind: #d55e00; --blind-text: #a94800; --hidden: #0072b2; --hidden-text: #005b8f;
          --fired: #0072b2; --recommended: #e69f00;
        }
        * { box-sizing: border-box; }
        html {
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: #f3f4f6; line-height: 1.5; font-size: 16px;
        }
        body { margin: 0; }
        main {
          max-width: 52rem; margin: 2rem auto; background: var(--paper); padding: 2.5rem 3rem 2rem;
          border-radius: 6px; box-shadow: 0 1px 3px rgba(0, 0, 0, .08);
        }
        header.page { border-bottom: 2px solid var(--ink); padding-bottom: 1.1rem; margin-bottom: 1.5rem; }
        .eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: var(--muted); margin: 0; }
        h1 { font-size: 2rem; line-height: 1.2; margin: .2rem 0 .9rem; font-weight: 650; overflow-wrap: anywhere; }
        h2 { font-size: 1.3rem; line-height: 1.3; margin: 2.4rem 0 .4rem; }
        h3 { font-size: 1.12rem; line-height: 1.35; margin: 0 0 .2rem; }
        h4 { font-size: .95rem; margin: .8rem 0 .2rem; }
        p { margin: .5rem 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; margin: 0; font-size: .95rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        ul.raters { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .35rem .5rem; }
        ul.raters li { border: 1px solid var(--rule); border-radius: 999px; padding: 0 .65rem; font-size: .9rem; }
        ul.raters li.withheld { border-style: dashed; color: var(--muted); }
        .lede { color: var(--muted); margin-top: 0; }
        .figures { font-variant-numeric: tabular-nums; }
        svg.chart { width: 100%; height: auto; display: block; margin: .75rem 0 .25rem; }
        svg text { fill: var(--ink); font-size: 12px; font-family: inherit; }
        svg .band-0, .swatch.band-0 { fill: #f3e6d8; background: #f3e6d8; }
        svg .band-1, .swatch.band-1 { fill: #f6f7f8; background: #f6f7f8; }
        svg .band-2, .swatch.band-2 { fill: #d9e7f1; background: #d9e7f1; }
        .swatch.band-0, .swatch.band-1, .swatch.band-2 { border: 1px solid #c9d0d7; margin-left: .2em; }
        svg .band-label { fill: var(--muted); font-size: 11px; letter-spacing: .06em; }
        svg .tick { stroke: #fff; stroke-width: 1.5; }
        svg .gaps .tick, svg.gaps .tick, svg.dashboard .tick { stroke: #e3e7ea; stroke-width: 1; }
        svg .axis { stroke: var(--ink); stroke-width: 1.25; }
        svg .tick-label { fill: var(--muted); font-size: 11px; }
        svg .side-title { font-weight: 600; font-size: 12.5px; }
        svg .dimension-label { font-size: 12px; }
        svg .bar { fill: var(--bar); }
        svg .value { font-size: 12px; font-weight: 600; font-variant-numeric: tabular-nums; }
        svg .marker { stroke: #fff; stroke-width: 1.25; }
        svg .marker-self, .key .marker-self { fill: #fff; stroke: var(--ink); stroke-width: 2; }
        svg .marker-manager { fill: #e69f00; }
        svg .marker-peers { fill: #009e73; }
        svg .marker-reports { fill: #cc79a7; }
        svg .marker-other-0 { fill: #56b4e9; }
        svg .marker-other-1 { fill: #f0e442; stroke: var(--ink); }
        svg .marker-other-2 { fill: #000; }
        svg .spread { fill: none; stroke: var(--ink); stroke-width: 1.25; opacity: .55; }
        .swatch.spread { height: 2px; width: 1.2em; background: var(--ink); opacity: .55; vertical-align: .2em; border-radius: 0; }
        svg.key { width: 1em; height: 1em; vertical-align: -.15em; margin-right: .3em; overflow: visible; }
        svg .missing { fill: var(--muted); font-style: italic; font-size: 12px; font-weight: normal; }
        svg .gap-blind-spot { fill: var(--blind); }
        svg .gap-hidden-strength { fill: var(--hidden); }
        svg .gap-small { fill: #a9b1ba; }
        svg .zone-blind-spot { fill: var(--blind); opacity: .1; }
        svg .zone-hidden-strength { fill: var(--hidden); opacity: .1; }
        svg .value-blind-spot { fill: var(--blind-text); font-weight: 600; }
        svg .value-hidden-strength { fill: var(--hidden-text); font-weight: 600; }
        svg .pair-rule { stroke: var(--rule); }
        svg .rate-fired { fill: var(--fired); }
        svg .rate-recommended { fill: var(--recommended); }
        svg .expected { fill: none; stroke: var(--ink); stroke-width: 1.25; }
        svg .expected-band { fill: var(--ink); opacity: .08; }
        svg .outside { fill: var(--blind-text); font-weight: 600; }
        svg .rule-label { font-size: 12px; }
        svg .histogram-bar { fill: var(--bar); }
        svg .cell-empty { fill: #f3f4f6; }
        svg .cell-label { font-size: 11px; }
        svg .cell-label-dark { fill: #fff; }
        .legend { display: flex; gap: .4rem 1.4rem; flex-wrap: wrap; font-size: .85rem; color: var(--muted); margin: .4rem 0; }
        .swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin-right: .35em; border-radius: 2px; }
        .swatch.bar { background: var(--bar); }
        .swatch.blind { background: var(--blind); }
        .swatch.hidden { background: var(--hidden); }
        .swatch.fired { background: var(--fired); }
        .swatch.recommended { background: var(--recommended); }
        .swatch.expected { border: 1.5px solid var(--ink); background: rgba(29, 39, 51, .08); }
        details.numbers summary, details.because summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
        table.numbers { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1rem; width: 100%; }
        table.numbers th, table.numbers td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--rule); font-weight: normal; }
        table.numbers thead th { font-weight: 600; border-bottom: 1.5px solid var(--ink); }
        table.numbers td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.numbers caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
        .derived { font-size: .95rem; color: var(--muted); }
        .derived strong { color: var(--ink); font-variant-numeric: tabular-nums; }
        ol.recommendations { padding: 0; margin: 0; list-style: none; }
        ol.recommendations > li { border-left: 4px solid var(--ink); padding: .1rem 0 .1rem 1.25rem; margin: 1.25rem 0 1.75rem; }
        .rank { color: var(--muted); font-weight: 600; margin-right: .35rem; }
        .meta { color: var(--muted); font-size: .88rem; margin: 0 0 .5rem; }
        .meter { display: inline-block; width: 4rem; height: .5rem; background: var(--rule); border-radius: 2px; vertical-align: .05rem; margin: 0 .3rem; overflow: hidden; }
        .meter > span { display: block; height: 100%; background: var(--ink); }
        .summary { font-size: 1.05rem; }
        ul.actions { margin: .2rem 0; padding-left: 1.25rem; }
        ul.actions li { margin: .2rem 0; }
        ul.conditions { list-style: none; padding-left: 0; font-size: .88rem; margin: .4rem 0; }
        ul.conditions li { margin: .15rem 0; }
        .truth { display: inline-block; width: 1.3em; font-weight: 700; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .also { font-size: .9rem; color: var(--muted); }
        .note { background: #f7f8f9; border-left: 3px solid var(--rule); padding: .5rem .85rem; color: var(--muted); }
        .howto li { margin: .3rem 0; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(7.5rem, 1fr)); gap: .75rem; margin: 1rem 0 0; }
        .tile { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .8rem; }
        .tile .figure { display: block; font-size: 1.6rem; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.2; }
        .tile .label { color: var(--muted); font-size: .85rem; }
        footer { margin-top: 2.5rem; padding-top: .75rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .8rem; }
        .compact, .print-only { display: none; }
        main.dashboard-page { max-width: 78rem; }
        .scroll-x { overflow-x: auto; }
        .scroll-x svg.chart { min-width: 720px; max-width: 56rem; }
        .rule-groups { columns: 2 30rem; column-gap: 2.5rem; margin-top: .75rem; }
        .rule-group { break-inside: avoid; margin-bottom: .9rem; }
        .rule-group h3 { font-size: .9rem; margin: 0 0 .15rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        .rule-group h3 .count { color: var(--muted); font-family: system-ui, sans-serif; font-weight: normal; }
        table.rates { border-collapse: collapse; width: 100%; font-size: .8rem; table-layout: fixed; }
        table.rates thead th { font-weight: 600; color: var(--muted); text-align: left; border-bottom: 1px solid var(--rule); padding: 0 .3rem .1rem 0; font-size: .75rem; }
        table.rates th[scope="row"] { font-weight: normal; text-align: left; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 0 .4rem 0 0; width: 62%; }
        table.rates td { padding: .05rem .3rem; line-height: 1.35; }
        table.rates th.num, table.rates td.num { text-align: right; font-variant-numeric: tabular-nums; width: 4.2rem; white-space: nowrap; }
        table.rates td.outside { color: var(--blind-text); font-weight: 600; }
        table.rates .track-head { width: 18%; }
        .track { position: relative; display: block; height: .85rem; background: #f3f4f6; }
        .track .rate-fired { position: absolute; left: 0; top: .1rem; height: .4rem; background: var(--fired); }
        .track .rate-recommended { position: absolute; left: 0; top: .5rem; height: .3rem; background: var(--recommended); }
        .track .expected { position: absolute; top: 0; bottom: 0; border: 1.5px solid var(--ink); border-top: 0; border-bottom: 0; background: rgba(29, 39, 51, .1); }
        .table-scroll { overflow-x: auto; }
        ul.strengths, ul.agreement { padding-left: 1.25rem; margin: .4rem 0; }
        ul.strengths li, ul.agreement li { margin: .25rem 0; }
        table.groups td.others { font-weight: 600; }
        table.groups caption { caption-side: bottom; padding-top: .35rem; }
        table.groups td.disagree { color: var(--blind-text); font-weight: 600; white-space: nowrap; }
        table.groups tr.pair-start th, table.groups tr.pair-start td { border-top: 1.5px solid #b8c0c8; }
        ol.butterfly-compact, ol.gaps-compact { list-style: none; padding: 0; margin: .5rem 0; }
        ol.butterfly-compact li { display: grid; grid-template-columns: 1fr 1fr; gap: .1rem .75rem; padding: .35rem 0; border-bottom: 1px solid var(--rule); font-size: .9rem; }
        ol.butterfly-compact .pair-label-management { text-align: right; }
        ol.butterfly-compact .pair-label strong { font-variant-numeric: tabular-nums; }
        ol.butterfly-compact svg.mini { grid-column: 1 / -1; width: 100%; height: auto; display: block; }
        ol.gaps-compact li { display: grid; grid-template-columns: 1fr auto; gap: .1rem .75rem; padding: .3rem 0; border-bottom: 1px solid var(--rule); font-size: .9rem; }
        ol.gaps-compact svg.mini { width: 100%; height: auto; display: block; grid-column: 1 / -1; }
        ol.gaps-compact .reading { text-align: right; font-variant-numeric: tabular-nums; }
        .value-blind-spot { color: var(--blind-text); font-weight: 600; }
        .value-hidden-strength { color: var(--hidden-text); font-weight: 600; }
        .reading.missing { color: var(--muted); font-style: italic; }
        .confidence { margin: .4rem 0; font-size: .92rem; }
        details.also-item summary { color: var(--ink); font-size: .95rem; }
        ul.also-fired { list-style: none; padding: 0; margin: .3rem 0; }
        ul.also-fired li { margin: .2rem 0; }
        .also h3 { font-size: 1rem; margin-top: 1.5rem; }
        @media (max-width: 40rem) { main { padding: 1.25rem; margin: 0; border-radius: 0; } h1 { font-size: 1.6rem; } }
        @media screen and (max-width: 600px) {
          .wide { display: none; }
          .compact { display: block; }
          table.groups { font-size: .74rem; }
          table.groups th, table.groups td { padding: .2rem .2rem; }
          table.groups .spread-col { display: none; }
          table.rates th[scope="row"] { white-space: normal; overflow-wrap: anywhere; width: auto; }
          table.rates .track-head, table.rates .track-cell { display: none; }
        }
        @media print {
          @page { size: A4; margin: 14mm 14mm 16mm; }
          html { background: #fff; font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
          h2, .lede, .legend { break-after: avoid; }
          h2 { margin-top: 1.6rem; }
          svg.chart, table, ol.recommendations > li, .howto, header.page { break-inside: avoid; }
          #gaps, #coverage, #co-firing, #balance-histogram { break-inside: avoid; }
          details.numbers, .screen-only { display: none; }
          .print-only { display: block; }
          .print-only h4 { margin: .6rem 0 .2rem; color: var(--muted); font-weight: 600; }
          .also-item.print-only h4 { color: var(--ink); margin-top: .4rem; }
          ul.also-fired li { break-inside: avoid; }
        }

        """
}
