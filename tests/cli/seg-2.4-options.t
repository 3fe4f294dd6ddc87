# seg-2.4: --lines keeps every line break a boundary, wrapped lines are joined by default, stdin with -, --rules loads a user SRX file
printf 'The committee met on Friday and\nagreed on the new budget.\n' >wrap.txt
px segment wrap.txt
expect_rc 0
expect_out_text "The committee met on Friday and agreed on the new budget."
px segment --lines wrap.txt
expect_rc 0
expect_out_text "The committee met on Friday and
agreed on the new budget."
printf 'Rouhani met Mr. Putin. They talked.\n' >in.txt
px_in in.txt segment --lang en -
expect_rc 0
expect_out_text "Rouhani met Mr. Putin.
They talked."
cat >my.srx <<'SRX'
<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Mine">
        <rule break="no"><beforebreak>\bPutin\.</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern="EN.*" languagerulename="Mine"/></maprules>
  </body>
</srx>
SRX
px segment --rules my.srx --lang en in.txt
expect_rc 0
expect_out_text "Rouhani met Mr.
Putin. They talked."
