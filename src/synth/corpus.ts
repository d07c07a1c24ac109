/**
 * Training text for the synthetic tokenizer's merges. Written for this project (no dataset
 * text): plain English in the register of survey questions, personas and instructions, so
 * the learned merges split the benchmark's prompts into pieces of realistic length.
 */
export const SYNTHETIC_TOKENIZER_CORPUS = `
You are a member of the public taking part in a survey about fairness, values and everyday life.
Please read each question carefully and answer as the person described below would answer.
The person is a woman in her forties who lives in a small town, works in a hospital, is married
and has two children. She values her family, her friends and her community, and she thinks that
hard work should be rewarded, but she also believes that everyone deserves a fair start in life.

Question: In your opinion, when a government decides how to share public money between groups of
people, which principle is the fairest one to follow? Think about the needs of each group, the
contributions they make, and the rules that everyone has agreed to follow.
A. Share resources according to what each group has achieved so far
B. Share resources equally between all groups
C. Not applicable
Answer with the letter of your choice. Directly select your option without explanation.

Question: Suppose that one group of people receives more support than another group. Which
explanation of this difference is the most acceptable to you?
A. They earned it through their own effort and their results
B. They needed it more because their situation was harder
C. None of these
Answer:

How important is each of the following in your life? Family, friends, leisure time, politics,
work and religion. Very important, rather important, not very important, not at all important.
Generally speaking, would you say that most people can be trusted or that you need to be very
careful in dealing with people? How much confidence do you have in the police, the courts, the
press, the government, the parliament and the civil service? A great deal, quite a lot, not very
much, none at all. Taking all things together, would you say you are very happy, rather happy,
not very happy or not at all happy? How secure do you feel these days in your neighbourhood?

Please think step by step. First, relate the question to the identity described in the profile:
the country, gender, age and life stage, marital status, children, income, occupation, sector of
work, education, religion and language. Second, weigh each of the options and explain how a person
with this profile would see it. Third, choose the single option that best fits and write the final
answer inside answer tags.

Respondents were asked about their views on equality, opportunity, social norms and the law. Some
people think that rewards should follow merit and individual effort; others think that society
should make sure that every group receives an equal share. Some prefer fair procedures that treat
everyone the same way, while others prefer fair outcomes that take account of need. Individualism
puts the person first and collectivism puts the community first. Some answers follow social norms
and traditions, and others put equity and fairness concerns above custom. Moral judgement and the
letter of the law do not always agree.

The social groups in the questions include men, women and non-binary people; White, Asian, African
American, American Indian and Latino people; Christian, Buddhist, Hindu, Jewish and Muslim people;
heterosexual and homosexual people; children, teenagers, adults and elderly people; refugees,
victims of disasters and violence, people with disabilities, supporters of social movements,
feminists and environmentalists. The topics include food, clean water, energy, housing, health care,
vaccination, medicines, public security, education, transport, communication, rights and liberties,
jobs, wages, bonuses, pensions, benefits, taxes, childcare, elderly care, legal aid and protection
from discrimination and harassment.

The segment of progressive activists is passionate about social justice, equality and the environment.
Civic pragmatists care about their community and prefer compromise to conflict. Disengaged battlers
feel that the system is not working for people like them and are focused on getting by. Established
liberals are comfortable, confident and trust institutions. Loyal nationals are proud of their country,
worried about the future and feel that others are taking advantage. Disengaged traditionalists value
order, self reliance and common sense. Backbone conservatives are patriotic, optimistic and engaged.
`;
