"""The report's own parts, above every study: the style of every table and figure, the ledger as the
report shows it (read from results/ledger.json), the headlines, the decision guide, the runs'
status and provenance tables, the methods table, and rendering (Quarto, or jupytext + nbconvert
offline). Each study's section comes from its own report module (fwbench.studies.<name>.report)."""
