package com.mediaflow.shared.validation.internal.parsers.document;

import com.mediaflow.shared.validation.internal.parsers.zip.ZipArchive;
import com.mediaflow.shared.validation.internal.parsers.zip.ZipEntry;
import com.mediaflow.shared.validation.io.Cursor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the small XML parts the checks need (content types, relationships, manifests) with the
 * JDK's SAX parser, hardened: no DOCTYPE (so no entities, internal or external), secure
 * processing on, and the part already bounded by {@link ZipArchive#read(ZipEntry)}. Public for
 * the metadata step's package properties ({@code com.mediaflow.shared.codec.document}).
 */
public final class XmlParts {
    /** Called for every element: its local name and attributes. */
    public interface Visitor {
        void element(String localName, Attributes attributes);
    }

    /**
     * Called at the end of every element: its namespace URI, local name, the depth of its start
     * (the root is 0), and the text directly inside it, at most {@link #MAX_TEXT} characters.
     */
    public interface TextVisitor {
        void end(String uri, String localName, int depth, String text);
    }

    /** The most characters of one element's text kept for a {@link TextVisitor}; the rest is dropped. */
    public static final int MAX_TEXT = 4096;

    private static final SAXParserFactory FACTORY = factory();

    private XmlParts() {
    }

    public static void scan(ZipArchive archive, ZipEntry entry, Cursor c, Visitor visitor) {
        byte[] xml = archive.read(entry);
        try {
            SAXParser parser = FACTORY.newSAXParser();
            parser.parse(new ByteArrayInputStream(xml), new DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) {
                    visitor.element(localName, attributes);
                }
            });
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw c.invalid("part '" + entry.name() + "' is not well-formed XML without a DOCTYPE: " + e.getMessage());
        }
    }

    /**
     * Every element's start ({@code visitor}) and end with its text ({@code texts}), in document
     * order; the part bounded as for {@link #scan(ZipArchive, ZipEntry, Cursor, Visitor)}.
     */
    public static void scan(ZipArchive archive, ZipEntry entry, Cursor c, Visitor visitor, TextVisitor texts) {
        byte[] xml = archive.read(entry);
        try {
            SAXParser parser = FACTORY.newSAXParser();
            parser.parse(new ByteArrayInputStream(xml), new DefaultHandler() {
                private final java.util.ArrayDeque<StringBuilder> open = new java.util.ArrayDeque<>();

                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) {
                    visitor.element(localName, attributes);
                    open.push(new StringBuilder());
                }

                @Override
                public void characters(char[] ch, int start, int length) {
                    StringBuilder text = open.peek();
                    if (text != null && text.length() < MAX_TEXT) {
                        text.append(ch, start, Math.min(length, MAX_TEXT - text.length()));
                    }
                }

                @Override
                public void endElement(String uri, String localName, String qName) {
                    StringBuilder text = open.pop();
                    texts.end(uri, localName, open.size(), text.toString());
                }
            });
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw c.invalid("part '" + entry.name() + "' is not well-formed XML without a DOCTYPE: " + e.getMessage());
        }
    }

    /** An attribute by its local name, whatever its namespace; null when absent. */
    public static String attr(Attributes a, String localName) {
        for (int i = 0; i < a.getLength(); i++) {
            if (localName.equals(a.getLocalName(i))) {
                return a.getValue(i);
            }
        }
        return null;
    }

    private static SAXParserFactory factory() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser refuses the hardening features: " + e.getMessage(), e);
        }
    }
}
