"""Build-time logic of the UN Women Training Centre website.

One module per concern: ``i18n`` (languages, labels, dates, alternates), ``content``
(reading front matter with line numbers), ``schema`` (field definitions), ``news``
(the bilingual news section), ``seo`` (sitemap and head metadata), and ``plugin``
(the MkDocs plugin that wires them into the build, in the order of MkDocs' events).
"""
