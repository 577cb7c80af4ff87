package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DispatchEventTest {
  private static final Dispatch D = new DispatchTest.Args().build();

  @Test
  void eachEventCarriesItsDispatch() {
    assertEquals(D, new DispatchEvent.Created(D).dispatch());
    assertEquals(D, new DispatchEvent.Updated(D).dispatch());
    assertEquals(D, new DispatchEvent.Deleted(D).dispatch());
  }

  @Test
  void eventsOfDifferentKindsDiffer() {
    assertNotEquals(new DispatchEvent.Created(D), new DispatchEvent.Updated(D));
    assertNotEquals(new DispatchEvent.Updated(D), new DispatchEvent.Deleted(D));
    assertEquals(new DispatchEvent.Deleted(D), new DispatchEvent.Deleted(D));
  }

  @Test
  void aNullDispatchIsRefused() {
    assertRefused(NullPointerException.class, "dispatch", () -> new DispatchEvent.Created(null));
    assertRefused(NullPointerException.class, "dispatch", () -> new DispatchEvent.Updated(null));
    assertRefused(NullPointerException.class, "dispatch", () -> new DispatchEvent.Deleted(null));
  }
}
