/*
 * CheckSrx.java: do our SRX files load in Java CAT tools?  OmegaT and Okapi
 * compile SRX rules with java.util.regex; this compiles every rule of the
 * given files the ways they do (each part alone, as a lookbehind/lookahead
 * pair, and concatenated) and every languagepattern, and exits 1 if Java
 * rejects any.  Run by tools/check-srx-java.sh; not part of the build.
 */
import java.io.File;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.*;
public class CheckSrx {
  public static void main(String[] a) throws Exception {
    int bad = 0, n = 0;
    for (String path : a) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      Document d = f.newDocumentBuilder().parse(new File(path));
      NodeList rules = d.getElementsByTagNameNS("http://www.lisa.org/srx20", "rule");
      for (int i = 0; i < rules.getLength(); i++) {
        Element r = (Element) rules.item(i);
        String b = text(r, "beforebreak"), af = text(r, "afterbreak");
        n++;
        try {
          Pattern.compile(b); Pattern.compile(af);
          Pattern.compile("(?<=" + b + ")(?=" + af + ")");
          Pattern.compile(b + af);
        } catch (Exception e) { bad++; System.out.println(path + ": " + e.getMessage().split("\n")[0] + " :: " + b + " || " + af); }
      }
      NodeList maps = d.getElementsByTagNameNS("http://www.lisa.org/srx20", "languagemap");
      for (int i = 0; i < maps.getLength(); i++) Pattern.compile(((Element) maps.item(i)).getAttribute("languagepattern"));
    }
    System.out.println(n + " rules, " + bad + " rejected by java.util.regex");
    System.exit(bad == 0 ? 0 : 1);
  }
  static String text(Element r, String tag) {
    NodeList l = r.getElementsByTagNameNS("http://www.lisa.org/srx20", tag);
    return l.getLength() == 0 ? "" : l.item(0).getTextContent();
  }
}
