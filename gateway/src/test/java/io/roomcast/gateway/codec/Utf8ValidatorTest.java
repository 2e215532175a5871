package io.roomcast.gateway.codec;

import io.roomcast.gateway.impl.codec.Utf8Validator;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The incremental UTF-8 validator, checked against the JDK's strict decoder. */
class Utf8ValidatorTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static boolean jdkValid(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      decoder.decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void validMultiByteTextIsAccepted() {
    for (String s : List.of("", "ascii", "\u007F", "\u0080", "é", "\u07FF", "\u0800", "€", "\uD7FF", "\uE000", "\uFFFD",
      "\uFFFF", "😀", new String(Character.toChars(0x10000)), new String(Character.toChars(0x10FFFF)), "mixé€😀 end")) {
      assertTrue(Utf8Validator.isValid(s.getBytes(StandardCharsets.UTF_8)), s);
    }
  }

  @Test
  void overlongFormsAreRefused() {
    for (byte[] b : List.of(bytes(0xC0, 0x80), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0x80), bytes(0xE0, 0x9F, 0xBF),
      bytes(0xF0, 0x80, 0x80, 0x80), bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xC0, 0xAF))) {
      assertFalse(Utf8Validator.isValid(b), java.util.Arrays.toString(b));
    }
  }

  @Test
  void surrogatesAreRefused() {
    for (byte[] b : List.of(bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xAD, 0xBF), bytes(0xED, 0xB0, 0x80), bytes(0xED, 0xBF, 0xBF),
      bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80))) {
      assertFalse(Utf8Validator.isValid(b), java.util.Arrays.toString(b));
    }
    assertTrue(Utf8Validator.isValid(bytes(0xED, 0x9F, 0xBF)), "U+D7FF is not a surrogate");
  }

  @Test
  void codePointsAboveU10FFFFAreRefused() {
    for (byte[] b : List.of(bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF5, 0x80, 0x80, 0x80), bytes(0xF7, 0xBF, 0xBF, 0xBF),
      bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80), bytes(0xFE), bytes(0xFF))) {
      assertFalse(Utf8Validator.isValid(b), java.util.Arrays.toString(b));
    }
  }

  @Test
  void strayAndMissingContinuationBytesAreRefused() {
    for (byte[] b : List.of(bytes(0x80), bytes(0xBF), bytes(0x61, 0x80), bytes(0xC3, 0x28), bytes(0xE2, 0x28, 0xA1),
      bytes(0xE2, 0x82, 0x28), bytes(0xF0, 0x9F, 0x98, 0x28))) {
      assertFalse(Utf8Validator.isValid(b), java.util.Arrays.toString(b));
    }
  }

  @Test
  void aTruncatedSequenceIsIncompleteButNotYetFailed() {
    for (byte[] b : List.of(bytes(0xC3), bytes(0xE2, 0x82), bytes(0xF0, 0x9F, 0x98), bytes(0x61, 0xE2))) {
      Utf8Validator v = new Utf8Validator();
      assertTrue(v.feed(b, 0, b.length), "a prefix of valid text must not fail early");
      assertFalse(v.isComplete());
      assertFalse(Utf8Validator.isValid(b));
    }
  }

  @Test
  void textSplitAtEveryByteAcrossFeedsIsValid() {
    byte[] text = "aé€😀z\u0800\uFFFF".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= text.length; cut++) {
      for (int cut2 = cut; cut2 <= text.length; cut2++) {
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.feed(text, 0, cut));
        assertTrue(v.feed(text, cut, cut2));
        assertTrue(v.feed(text, cut2, text.length));
        assertTrue(v.isComplete(), "cut at " + cut + "," + cut2);
      }
    }
  }

  @Test
  void anInvalidSequenceSplitAcrossFeedsFailsWhereItBecomesInvalid() {
    byte[] surrogate = bytes(0x61, 0xED, 0xA0, 0x80);
    Utf8Validator v = new Utf8Validator();
    assertTrue(v.feed(surrogate, 0, 2));
    assertFalse(v.feed(surrogate, 2, 3));
    assertFalse(v.feed(bytes(0x61), 0, 1), "a failed validator stays failed");
    assertFalse(v.isComplete());
    v.reset();
    assertTrue(v.feed(bytes(0x61), 0, 1));
    assertTrue(v.isComplete(), "reset forgets the failure");
  }

  @Test
  void feedReadsOnlyTheGivenRange() {
    byte[] b = bytes(0xFF, 0x61, 0x62, 0xFF);
    assertTrue(Utf8Validator.isValid(b, 1, 3));
    assertFalse(Utf8Validator.isValid(b, 0, 3));
  }

  @Test
  void everyOneAndTwoByteInputAgreesWithTheJdk() {
    for (int a = 0; a < 256; a++) {
      assertEquals(jdkValid(bytes(a)), Utf8Validator.isValid(bytes(a)), "byte " + a);
      for (int b = 0; b < 256; b++) {
        byte[] input = bytes(a, b);
        assertEquals(jdkValid(input), Utf8Validator.isValid(input), () -> java.util.Arrays.toString(input));
      }
    }
  }

  @Test
  void threeAndFourByteInputsAgreeWithTheJdk() {
    int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int a = 0xC0; a < 256; a++) {
      for (int b : edges) {
        for (int c : edges) {
          byte[] three = bytes(a, b, c);
          assertEquals(jdkValid(three), Utf8Validator.isValid(three), () -> java.util.Arrays.toString(three));
          for (int d : edges) {
            byte[] four = bytes(a, b, c, d);
            assertEquals(jdkValid(four), Utf8Validator.isValid(four), () -> java.util.Arrays.toString(four));
          }
        }
      }
    }
  }
}
