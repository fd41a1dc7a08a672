/// The frame every HTML page shares: one self-contained document (no scripts, no network) with
/// an inline stylesheet — system fonts, restrained colour, an Okabe–Ito palette for meaning,
/// and print rules for A4.
enum HTMLPage {
    /// A whole document around `body` (markup the renderers built), titled `title` (escaped).
    static func document(title: String, body: String) -> String {
        var html = HTMLWriter()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<meta name=\"generator\" content=\"coach\">\n")
        html.element("title", text: title)
        html.raw("\n<style>\n\(stylesheet)</style>\n</head>\n<body>\n")
        html.raw(body)
        html.raw("</body>\n</html>\n")
        return html.output
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
        svg .band-0, svg .band-2 { fill: #eceff2; }
        svg .band-1 { fill: #f7f8f9; }
        svg .band-label { fill: var(--muted); font-size: 10px; letter-spacing: .06em; }
        svg .tick { stroke: #fff; stroke-width: 1.5; }
        svg .gaps .tick, svg.gaps .tick, svg.dashboard .tick { stroke: #e3e7ea; stroke-width: 1; }
        svg .axis { stroke: var(--ink); stroke-width: 1.25; }
        svg .tick-label { fill: var(--muted); font-size: 10.5px; }
        svg .side-title { font-weight: 600; font-size: 12.5px; }
        svg .dimension-label { font-size: 11.5px; }
        svg .bar { fill: var(--bar); }
        svg .value { font-size: 11px; font-variant-numeric: tabular-nums; }
        svg .value-inside { fill: #fff; font-weight: 600; }
        svg .self-marker { fill: #fff; stroke: var(--ink); stroke-width: 2; }
        svg .missing { fill: var(--muted); font-style: italic; font-size: 11px; }
        svg .gap-blind-spot { fill: var(--blind); }
        svg .gap-hidden-strength { fill: var(--hidden); }
        svg .gap-small { fill: #a9b1ba; }
        svg .zone-blind-spot { fill: var(--blind); opacity: .07; }
        svg .zone-hidden-strength { fill: var(--hidden); opacity: .07; }
        svg .value-blind-spot { fill: var(--blind-text); font-weight: 600; }
        svg .value-hidden-strength { fill: var(--hidden-text); font-weight: 600; }
        svg .pair-rule { stroke: var(--rule); }
        svg .rate-fired { fill: var(--fired); }
        svg .rate-recommended { fill: var(--recommended); }
        svg .expected { fill: none; stroke: var(--ink); stroke-width: 1.25; }
        svg .expected-band { fill: var(--ink); opacity: .08; }
        svg .outside { fill: var(--blind-text); font-weight: 600; }
        svg .rule-label { font-size: 11px; }
        svg .histogram-bar { fill: var(--bar); }
        svg .cell-empty { fill: #f3f4f6; }
        svg .cell-label { font-size: 9.5px; }
        svg .cell-label-dark { fill: #fff; }
        .legend { display: flex; gap: .4rem 1.4rem; flex-wrap: wrap; font-size: .85rem; color: var(--muted); margin: .4rem 0; }
        .swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin-right: .35em; border-radius: 2px; }
        .swatch.bar { background: var(--bar); }
        .swatch.self { background: #fff; border: 2px solid var(--ink); transform: rotate(45deg) scale(.8); border-radius: 0; }
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
        @media (max-width: 40rem) { main { padding: 1.25rem; margin: 0; border-radius: 0; } }
        @media print {
          @page { size: A4; margin: 14mm 14mm 16mm; }
          html { background: #fff; font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
          h2, .lede, .legend { break-after: avoid; }
          h2 { margin-top: 1.6rem; }
          svg.chart, table, ol.recommendations > li, .howto, header.page { break-inside: avoid; }
          #balance, #gaps, #coverage, #co-firing, #balance-histogram { break-inside: avoid; }
          details.numbers { display: none; }
        }

        """
}
