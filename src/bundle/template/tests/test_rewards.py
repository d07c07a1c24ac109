import unittest

import bundle_fixtures as fx
from pluralscope_bundle.rewards import (
    answer_correct_reward,
    answer_format_reward,
    combined_reward,
    completion_text,
    correctness_reward,
    format_reward,
    gold_index,
    predicted_index,
)

OPTIONS = fx.GRPO_OPTIONS  # Very / Rather / Not very / Not at all important


class RewardTest(unittest.TestCase):
    def test_correct_by_text_label_or_both(self):
        for text in (
            "<answer>Rather important</answer>",
            "reasoning...\n<answer> rather important. </answer>",
            "<answer>B</answer>",
            "<answer>(B)</answer>",
            "<answer>B. Rather important</answer>",
            "<answer>Very important</answer> then <answer>Rather important</answer>",  # the last tag counts
        ):
            with self.subTest(text=text):
                self.assertEqual(correctness_reward(text, OPTIONS, "Rather important", "B"), 1.0)

    def test_wrong_or_unreadable(self):
        for text in (
            "<answer>Very important</answer>",
            "<answer>A</answer>",
            "Rather important",                 # no tag
            "<answer></answer>",
            "<answer>B. Very important</answer>",  # label and text disagree
            "<answer>important</answer>",       # matches no option exactly
            "",
        ):
            with self.subTest(text=text):
                self.assertEqual(correctness_reward(text, OPTIONS, "Rather important", "B"), 0.0)

    def test_not_very_is_not_very(self):
        # "Not very important" contains "very important": exact matching keeps them apart.
        self.assertEqual(predicted_index("<answer>Not very important</answer>", OPTIONS), 2)
        self.assertEqual(predicted_index("<answer>Very important</answer>", OPTIONS), 0)

    def test_format(self):
        self.assertEqual(format_reward("thinking <answer>B</answer>"), 1.0)
        self.assertEqual(format_reward("<answer>B</answer>\n"), 1.0)
        self.assertEqual(format_reward("<answer>B</answer> because"), 0.0)
        self.assertEqual(format_reward("<answer>A</answer><answer>B</answer>"), 0.0)
        self.assertEqual(format_reward("<answer> </answer>"), 0.0)
        self.assertEqual(format_reward("<answer>B"), 0.0)
        self.assertEqual(format_reward("B"), 0.0)

    def test_combined(self):
        self.assertAlmostEqual(combined_reward("<answer>B</answer>", OPTIONS, "Rather important", format_weight=0.1), 1.1)
        self.assertAlmostEqual(combined_reward("<answer>A</answer>", OPTIONS, "Rather important", format_weight=0.1), 0.1)
        self.assertAlmostEqual(combined_reward("<answer>B</answer> ok", OPTIONS, "Rather important", format_weight=0.5), 1.0)
        self.assertAlmostEqual(combined_reward("no answer", OPTIONS, "Rather important"), 0.0)

    def test_gold_index(self):
        self.assertEqual(gold_index(OPTIONS, "Not very important"), 2)
        self.assertEqual(gold_index(OPTIONS, None, "D"), 3)
        with self.assertRaises(ValueError):
            gold_index(OPTIONS, "x", "Z")

    def test_trl_signature_conversational(self):
        completions = [[{"role": "assistant", "content": "<answer>B</answer>"}], [{"role": "assistant", "content": "<answer>C</answer> x"}]]
        kwargs = {"prompts": [[], []], "completion_ids": [[1], [2]], "trainer_state": None, "id": ["g1", "g1"]}
        rewards = answer_correct_reward(completions, options=[OPTIONS, OPTIONS], answer=["Rather important"] * 2,
                                        answer_label=["B", "B"], frequency=[0.5, 0.5], **kwargs)
        self.assertEqual(rewards, [1.0, 0.0])
        self.assertEqual(answer_format_reward(completions, **kwargs), [1.0, 0.0])

    def test_trl_signature_plain_strings(self):
        self.assertEqual(answer_correct_reward(["<answer>D</answer>"], options=[OPTIONS], answer=["Not at all important"]), [1.0])
        self.assertEqual(completion_text(None), "")


if __name__ == "__main__":
    unittest.main()
