// SPDX-License-Identifier: GPL-2.0
/*
 * cxlemu_kcheck: proves that core/ builds as kernel code (issue 3). It is
 * never loaded by the tests; loading it runs one commit as a smoke test.
 */
#include <linux/module.h>
#include "cxlemu.h"

static int __init cxlemu_kcheck_init(void)
{
	static struct cxlemu_hdm h;
	u64 v = 0;
	int ret;

	ret = cxlemu_hdm_init(&h, 0, 1ULL << 30, true, NULL, NULL);
	if (ret)
		return ret;
	cxlemu_hdm_write(&h, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SIZE_LO, 8, CXL_HDM_DEC_ALIGN);
	cxlemu_hdm_write(&h, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, 4,
			 FIELD_PREP(CXL_HDM_DEC_CTRL_COMMIT, 1));
	cxlemu_hdm_read(&h, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, 4, &v);
	pr_info("cxlemu_kcheck: decoder 0 control %#llx\n", v);
	return 0;
}

static void __exit cxlemu_kcheck_exit(void)
{
}

module_init(cxlemu_kcheck_init);
module_exit(cxlemu_kcheck_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfio-cxl core/ kernel build check");
