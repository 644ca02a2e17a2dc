package io.vaultcfg.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A JUnit XML report read with the JDK's own parser and checked for the structure CI systems expect:
 * {@code testsuites > testsuite > testcase}, at most one of failure, error or skipped per test case, and every
 * count attribute equal to what the document holds.
 */
public final class JUnitXml {
    public enum Outcome { PASSED, FAILURE, ERROR, SKIPPED }

    public record Case(String suite, String classname, String name, Outcome outcome, String type, String message, String text,
                       String systemOut) {
    }

    private JUnitXml() {
    }

    public static List<Case> read(Path file) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError("not well-formed XML: " + file + ": " + e.getMessage(), e);
        }
        assertThat(root.getTagName()).isEqualTo("testsuites");
        List<Case> cases = new ArrayList<>();
        for (Element suite : children(root)) {
            assertThat(suite.getTagName()).isEqualTo("testsuite");
            List<Case> inSuite = new ArrayList<>();
            for (Element testCase : children(suite)) {
                inSuite.add(testCase(suite.getAttribute("name"), testCase));
            }
            assertCounts(suite, inSuite);
            cases.addAll(inSuite);
        }
        assertCounts(root, cases);
        return cases;
    }

    private static Case testCase(String suite, Element testCase) {
        assertThat(testCase.getTagName()).isEqualTo("testcase");
        assertThat(testCase.hasAttribute("classname") && testCase.hasAttribute("name")).isTrue();
        Outcome outcome = Outcome.PASSED;
        String type = "";
        String message = "";
        String text = "";
        String systemOut = "";
        for (Element child : children(testCase)) {
            switch (child.getTagName()) {
                case "system-out" -> systemOut = child.getTextContent();
                case "failure", "error", "skipped" -> {
                    assertThat(outcome).as("one outcome per test case").isEqualTo(Outcome.PASSED);
                    outcome = Outcome.valueOf(child.getTagName().toUpperCase());
                    type = child.getAttribute("type");
                    message = child.getAttribute("message");
                    text = child.getTextContent();
                }
                default -> throw new AssertionError("unexpected element in a test case: " + child.getTagName());
            }
        }
        return new Case(suite, testCase.getAttribute("classname"), testCase.getAttribute("name"), outcome, type, message, text,
                systemOut);
    }

    private static void assertCounts(Element element, List<Case> cases) {
        assertThat(Long.parseLong(element.getAttribute("tests"))).isEqualTo(cases.size());
        assertThat(Long.parseLong(element.getAttribute("failures"))).isEqualTo(count(cases, Outcome.FAILURE));
        assertThat(Long.parseLong(element.getAttribute("errors"))).isEqualTo(count(cases, Outcome.ERROR));
        assertThat(Long.parseLong(element.getAttribute("skipped"))).isEqualTo(count(cases, Outcome.SKIPPED));
    }

    private static long count(List<Case> cases, Outcome outcome) {
        return cases.stream().filter(c -> c.outcome() == outcome).count();
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            } else {
                assertThat(node.getTextContent()).as("only white space between elements of " + parent.getTagName()).isBlank();
            }
        }
        return elements;
    }
}
