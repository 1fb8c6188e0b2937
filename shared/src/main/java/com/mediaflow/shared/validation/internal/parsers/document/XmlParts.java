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
 * processing on, and the part already bounded by {@link ZipArchive#read(ZipEntry)}.
 */
final class XmlParts {
    /** Called for every element: its local name and attributes. */
    interface Visitor {
        void element(String localName, Attributes attributes);
    }

    private static final SAXParserFactory FACTORY = factory();

    private XmlParts() {
    }

    static void scan(ZipArchive archive, ZipEntry entry, Cursor c, Visitor visitor) {
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

    /** An attribute by its local name, whatever its namespace; null when absent. */
    static String attr(Attributes a, String localName) {
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
