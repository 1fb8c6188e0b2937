package com.mediaflow.shared.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Thumbnailer#pictureRenditions}: a picture in memory through the photo's renditions. */
class ThumbnailerPictureTest {
    private final Thumbnailer thumbnailer = new Thumbnailer(85);

    /** Red left half, blue right half, a green bar at the top. */
    private static BufferedImage picture(int type) {
        BufferedImage image = new BufferedImage(400, 200, type);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 200, 200);
        g.setColor(Color.BLUE);
        g.fillRect(200, 0, 200, 200);
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 400, 40);
        g.dispose();
        return image;
    }

    @ParameterizedTest(name = "BufferedImage type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR})
    void pictureRenditions_keepColoursAndPlaceOfThePicture(int type) throws IOException {
        ImageRenditions made = thumbnailer.pictureRenditions(picture(type), "test picture",
                RenditionPlan.thumbnailsOnly(List.of(100)));

        Rendition thumb = made.renditions().get(0);
        assertThat(thumb.name()).isEqualTo("thumb-100.jpg");
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(thumb.bytes()));
        assertThat(new int[] {jpeg.getWidth(), jpeg.getHeight()}).containsExactly(100, 50);
        assertThat(new int[] {thumb.width(), thumb.height()}).containsExactly(100, 50);
        assertColour(jpeg.getRGB(25, 35), 255, 0, 0);
        assertColour(jpeg.getRGB(75, 35), 0, 0, 255);
        assertColour(jpeg.getRGB(50, 3), 0, 255, 0);
        assertThat(made.perceptualHash()).isNull();
    }

    @Test
    void pictureRenditions_fullPlan_givesThePhotosRenditionsAndAPlaceholder() {
        RenditionPlan plan = new RenditionPlan(List.of(320, 640), 160, 2048, 80, 1024);

        ImageRenditions made = thumbnailer.pictureRenditions(picture(BufferedImage.TYPE_INT_RGB), "test picture", plan);

        assertThat(made.renditions()).extracting(Rendition::name)
                .contains("thumb-square-160.jpg", "thumb-320.jpg", "display.jpg", "display.webp");
        assertThat(made.renditions()).filteredOn(r -> r.name().startsWith("display"))
                .allSatisfy(r -> assertThat(new int[] {r.width(), r.height()}).containsExactly(400, 200));
        assertThat(made.placeholder()).isNotNull();
    }

    private static void assertColour(int rgb, int r, int g, int b) {
        assertThat((rgb >> 16) & 0xff).as("red of %06x", rgb & 0xffffff).isCloseTo(r, org.assertj.core.data.Offset.offset(40));
        assertThat((rgb >> 8) & 0xff).as("green of %06x", rgb & 0xffffff).isCloseTo(g, org.assertj.core.data.Offset.offset(40));
        assertThat(rgb & 0xff).as("blue of %06x", rgb & 0xffffff).isCloseTo(b, org.assertj.core.data.Offset.offset(40));
    }
}
