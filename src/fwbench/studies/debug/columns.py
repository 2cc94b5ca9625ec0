"""The debugging study's column names (results/debug.csv, results/debug_index.csv and the debug result
files), defined once: its probes write them, its tables, claims and report read them.
"""

ERROR_STEP = "error_step"
FINAL_TEST_ACCURACY = "final_test_accuracy"
FRAMES_BETWEEN = "frames_between"
INSPECT_KIND = "inspect_kind"
INSPECT_PRINT_STEPS = "inspect_print_steps"
MESSAGE_CHARS = "message_chars"
MESSAGE_NAMES_FAULTY_LINE = "message_names_faulty_line"
NAMES_DEVICE = "names_device"
NAMES_DTYPE = "names_dtype"
NAMES_SHAPE = "names_shape"
STEPS_RUN = "steps_run"
TIME_TO_ERROR_S = "time_to_error_s"
TRACEBACK_FRAMES = "traceback_frames"
TRACEBACK_LINES = "traceback_lines"
TRACEBACK_NAMES_FAULTY_LINE = "traceback_names_faulty_line"
