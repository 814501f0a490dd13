import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks a JaCoCo XML report: each argument "package/Class#method" must have at least one covered line.
 * Run as `java ci/CoverageCheck.java report.xml dev/nsjunit/X#m ...`; exits 1 naming what is not covered.
 */
public class CoverageCheck {

    public static void main(String[] args) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document report = factory.newDocumentBuilder().parse(new File(args[0]));
        List<String> missing = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] classAndMethod = args[i].split("#");
            int covered = coveredLines(report, classAndMethod[0], classAndMethod[1]);
            System.out.println("ci/jacoco: " + args[i] + ": " + covered + " line(s) covered");
            if (covered == 0) {
                missing.add(args[i]);
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("ci/jacoco: no coverage recorded for " + missing
                    + ": the agent in the child JVMs did not reach the report");
            System.exit(1);
        }
    }

    private static int coveredLines(Document report, String className, String methodName) {
        NodeList classes = report.getElementsByTagName("class");
        for (int c = 0; c < classes.getLength(); c++) {
            Element type = (Element) classes.item(c);
            if (!type.getAttribute("name").equals(className)) {
                continue;
            }
            NodeList methods = type.getElementsByTagName("method");
            for (int m = 0; m < methods.getLength(); m++) {
                Element method = (Element) methods.item(m);
                if (method.getAttribute("name").equals(methodName)) {
                    NodeList counters = method.getElementsByTagName("counter");
                    for (int k = 0; k < counters.getLength(); k++) {
                        Element counter = (Element) counters.item(k);
                        if (counter.getAttribute("type").equals("LINE")) {
                            return Integer.parseInt(counter.getAttribute("covered"));
                        }
                    }
                }
            }
        }
        throw new IllegalArgumentException(className + "#" + methodName + " is not in the report");
    }
}
