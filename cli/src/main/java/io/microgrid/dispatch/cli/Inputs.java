package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.shell.text.DispatchInputs.Time;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters of what a user types. The parsing itself is the shell bundle's {@link
 * DispatchInputs}, shared with the Gogo commands; each converter turns its {@link
 * IllegalArgumentException} into a usage error (exit status 2).
 */
final class Inputs {
  static final String TIME_HELP = DispatchInputs.TIME_HELP;
  static final String DURATION_HELP = DispatchInputs.DURATION_HELP;

  private Inputs() {}

  /** Base of the converters: an {@link IllegalArgumentException} becomes a usage error. */
  private abstract static class Converter<T> implements ITypeConverter<T> {
    @Override
    public final T convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException | DateTimeException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }

    abstract T parse(String value);
  }

  static final class TimeConverter extends Converter<Time> {
    @Override
    Time parse(String value) {
      return DispatchInputs.parseTime(value, Instant.now());
    }
  }

  static final class DurationConverter extends Converter<Duration> {
    @Override
    Duration parse(String value) {
      return DispatchInputs.parseDuration(value);
    }
  }

  static final class TargetConverter extends Converter<TargetComponents> {
    @Override
    TargetComponents parse(String value) {
      return DispatchInputs.parseTarget(value);
    }
  }

  static final class PayloadConverter extends Converter<Payload> {
    @Override
    Payload parse(String value) {
      return DispatchInputs.parsePayload(value);
    }
  }

  static final class MicrogridConverter extends Converter<Long> {
    @Override
    Long parse(String value) {
      return DispatchInputs.parsePositiveId(value, "microgrid id");
    }
  }

  static final class DispatchIdConverter extends Converter<Long> {
    @Override
    Long parse(String value) {
      return DispatchInputs.parsePositiveId(value, "dispatch id");
    }
  }

  static final class FrequencyConverter extends Converter<Frequency> {
    @Override
    Frequency parse(String value) {
      return DispatchInputs.parseFrequency(value);
    }
  }

  static final class WeekdayConverter extends Converter<DayOfWeek> {
    @Override
    DayOfWeek parse(String value) {
      return DispatchInputs.parseWeekday(value);
    }
  }

  static final class MonthConverter extends Converter<Integer> {
    @Override
    Integer parse(String value) {
      return DispatchInputs.parseMonth(value);
    }
  }

  static final class SortFieldConverter extends Converter<SortField> {
    @Override
    SortField parse(String value) {
      return DispatchInputs.parseSortField(value);
    }
  }

  static final class SortOrderConverter extends Converter<SortOrder> {
    @Override
    SortOrder parse(String value) {
      return DispatchInputs.parseSortOrder(value);
    }
  }
}
