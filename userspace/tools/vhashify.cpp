// vhashify - unify identical files of guests through a hash directory
// (util-vserver's vhashify).
#include "vhashify_main.hpp"

int main(int argc, char **argv)
{
	return tool::vhashify_main(argc, argv);
}
